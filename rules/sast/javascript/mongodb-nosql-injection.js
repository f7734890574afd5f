const express = require('express');
const mongoose = require('mongoose');

const app = express();
app.use(express.json());
const User = mongoose.model('User', new mongoose.Schema({ username: String, password: String }));

app.post('/login', async (req, res) => {
  // ruleid: javascript.mongodb-nosql-injection
  const user = await User.findOne({ username: req.body.username, password: req.body.password });
  res.json({ ok: Boolean(user) });
});

app.get('/users', async (req, res) => {
  // ruleid: javascript.mongodb-nosql-injection
  const users = await User.find(req.query);
  res.json(users);
});

app.get('/payments', async (req, res) => {
  // ruleid: javascript.mongodb-nosql-injection
  const payments = await mongoose.connection.db.collection('payments').aggregate([
    { $match: { $where: 'this.payee == "' + req.query.payee + '"' } },
  ]).toArray();
  res.json(payments);
});

app.get('/report', async (req, res) => {
  // ruleid: javascript.mongodb-nosql-injection
  const rows = await User.find().$where('this.region === "' + req.query.region + '"');
  res.json(rows);
});

app.post('/safe/login', async (req, res) => {
  // ok: javascript.mongodb-nosql-injection
  const user = await User.findOne({ username: String(req.body.username), password: String(req.body.password) });
  res.json({ ok: Boolean(user) });
});

app.get('/safe/users/:id', async (req, res) => {
  // ok: javascript.mongodb-nosql-injection
  const user = await User.findOne({ _id: req.params.id });
  res.json(user);
});

app.get('/safe/users', async (req, res) => {
  const page = parseInt(req.query.page, 10);
  // ok: javascript.mongodb-nosql-injection
  const users = await User.find({ active: true }).skip(page * 20).limit(20);
  res.json(users);
});

app.get('/safe/owner', async (req, res) => {
  // ok: javascript.mongodb-nosql-injection
  const docs = await User.find({ owner: new mongoose.Types.ObjectId(req.query.owner) });
  res.json(docs);
});
