const express = require('express');
const crypto = require('crypto');
const { User, Transfer } = require('./models');

const app = express();
app.use(express.json());

app.post('/register', async (req, res) => {
  // ruleid: javascript.express-mass-assignment
  const user = new User(req.body);
  await user.save();
  res.status(201).json({ id: user.id });
});

app.post('/transfers', async (req, res) => {
  // ruleid: javascript.express-mass-assignment
  const transfer = await Transfer.create({ ...req.body, createdBy: req.user.id });
  res.status(201).json(transfer);
});

app.put('/users/:id', async (req, res) => {
  // ruleid: javascript.express-mass-assignment
  const user = await User.findByIdAndUpdate(req.params.id, req.body, { new: true });
  res.json(user);
});

app.patch('/profile', async (req, res) => {
  // ruleid: javascript.express-mass-assignment
  Object.assign(req.user, req.body);
  await req.user.save();
  res.sendStatus(204);
});

app.post('/safe/register', async (req, res) => {
  const { email, name, password } = req.body;
  // ok: javascript.express-mass-assignment
  const user = new User({ email, name, password });
  await user.save();
  res.status(201).json({ id: user.id });
});

app.put('/safe/users/:id', async (req, res) => {
  // ok: javascript.express-mass-assignment
  const user = await User.findByIdAndUpdate(req.params.id, { name: req.body.name }, { new: true });
  res.json(user);
});

app.post('/safe/webhook', (req, res) => {
  // ok: javascript.express-mass-assignment
  const mac = crypto.createHmac('sha256', process.env.WEBHOOK_KEY).update(req.body).digest('hex');
  // ok: javascript.express-mass-assignment
  const params = new URLSearchParams(req.body);
  res.json({ mac, n: [...params].length });
});
