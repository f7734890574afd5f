const express = require('express');
const axios = require('axios');
const https = require('https');

const app = express();
const cache = new Map();

app.get('/preview', async (req, res) => {
  // ruleid: javascript.express-ssrf
  const page = await axios.get(req.query.url);
  res.send(page.data.length.toString());
});

app.post('/webhook/test', async (req, res) => {
  const target = req.body.callbackUrl;
  // ruleid: javascript.express-ssrf
  const r = await fetch(target, { method: 'POST', body: '{}' });
  res.sendStatus(r.status);
});

app.get('/avatar', (req, res) => {
  // ruleid: javascript.express-ssrf
  https.get('https://' + req.query.host + '/avatar.png', (up) => up.pipe(res));
});

app.get('/proxy', async (req, res) => {
  // ruleid: javascript.express-ssrf
  const r = await axios({ method: 'get', url: req.query.target });
  res.json(r.data);
});

app.get('/safe/rates', async (req, res) => {
  // ok: javascript.express-ssrf
  const r = await axios.get('https://rates.bank.example/v1/' + encodeURIComponent(req.query.currency));
  res.json(r.data);
});

app.get('/safe/user', async (req, res) => {
  // ok: javascript.express-ssrf
  const r = await fetch(`https://users.internal.example/users/${Number(req.params.id)}`);
  res.json(await r.json());
});

app.get('/safe/cache', (req, res) => {
  // ok: javascript.express-ssrf
  res.json(cache.get(req.query.key) || null);
});

app.get('/safe/params', async (req, res) => {
  // ok: javascript.express-ssrf
  const r = await axios.get('https://search.bank.example/q', { params: { q: req.query.q } });
  res.json(r.data);
});
