const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const STATEMENTS = path.join(__dirname, 'statements');

app.get('/statements/:name', (req, res) => {
  const file = path.join(STATEMENTS, req.params.name);
  // ruleid: javascript.express-path-traversal
  fs.readFile(file, (err, data) => res.send(data));
});

app.get('/download', (req, res) => {
  // ruleid: javascript.express-path-traversal
  res.sendFile(path.resolve('uploads', req.query.file));
});

app.post('/notes', async (req, res) => {
  // ruleid: javascript.express-path-traversal
  await fs.promises.writeFile(`/srv/notes/${req.body.title}.txt`, req.body.text);
  res.sendStatus(201);
});

app.delete('/avatars', (req, res) => {
  // ruleid: javascript.express-path-traversal
  fs.unlinkSync('/srv/avatars/' + req.cookies.avatar);
  res.sendStatus(204);
});

app.get('/export', (req, res) => {
  // ruleid: javascript.express-path-traversal
  res.download(req.query.path, 'export.csv');
});

app.get('/safe/statements/:name', (req, res) => {
  const file = path.join(STATEMENTS, path.basename(req.params.name));
  // ok: javascript.express-path-traversal
  fs.readFile(file, (err, data) => res.send(data));
});

app.get('/safe/download', (req, res) => {
  // ok: javascript.express-path-traversal
  res.sendFile(req.query.file, { root: STATEMENTS, dotfiles: 'deny' });
});

app.post('/safe/notes', async (req, res) => {
  // ok: javascript.express-path-traversal
  await fs.promises.writeFile('/srv/notes/latest.txt', req.body.text);
  res.sendStatus(201);
});

app.get('/safe/report', (req, res) => {
  // ok: javascript.express-path-traversal
  res.sendFile(path.join(STATEMENTS, 'summary.pdf'), (err) => err && res.status(404).end());
});
