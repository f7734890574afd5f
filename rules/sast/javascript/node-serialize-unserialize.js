const express = require('express');
const serialize = require('node-serialize');
const { deserialize } = require('serialize-to-js');

const app = express();

app.get('/prefs', (req, res) => {
  const raw = Buffer.from(req.cookies.prefs, 'base64').toString();
  // ruleid: javascript.node-serialize-unserialize
  const prefs = serialize.unserialize(raw);
  res.json(prefs);
});

app.post('/import', (req, res) => {
  // ruleid: javascript.node-serialize-unserialize
  const data = deserialize(req.body.state);
  res.json(data);
});

app.post('/restore', (req, res) => {
  // ruleid: javascript.node-serialize-unserialize
  const state = require('node-serialize').unserialize(req.body.snapshot);
  res.json(state);
});

app.get('/safe/prefs', (req, res) => {
  // ok: javascript.node-serialize-unserialize
  const prefs = JSON.parse(Buffer.from(req.cookies.prefs, 'base64').toString());
  res.json(prefs);
});

app.get('/safe/export', (req, res) => {
  // ok: javascript.node-serialize-unserialize
  res.send(serialize.serialize({ theme: 'dark', lang: req.query.lang }));
});

// ok: javascript.node-serialize-unserialize
const defaults = serialize.unserialize('{"theme":"light"}');

app.get('/safe/url', (req, res) => {
  // ok: javascript.node-serialize-unserialize
  res.json(new URL(req.query.u, 'https://bank.example').searchParams.get('a') || defaults);
});
