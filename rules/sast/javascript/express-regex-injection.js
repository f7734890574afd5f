const express = require('express');
const _ = require('lodash');

const app = express();
const payees = ['ACME Ltd', 'Example Energy', 'City Water'];

app.get('/payees', (req, res) => {
  // ruleid: javascript.express-regex-injection
  const re = new RegExp(req.query.q, 'i');
  res.json(payees.filter((p) => re.test(p)));
});

app.get('/iban/check', (req, res) => {
  const format = req.query.format;
  // ruleid: javascript.express-regex-injection
  const ok = RegExp('^' + format + '$').test(req.query.iban);
  res.json({ ok });
});

app.post('/filter', (req, res) => {
  // ruleid: javascript.express-regex-injection
  const matcher = new RegExp(`^${req.body.prefix}`);
  res.json(payees.filter((p) => matcher.test(p)));
});

app.get('/safe/payees', (req, res) => {
  // ok: javascript.express-regex-injection
  const re = new RegExp(_.escapeRegExp(req.query.q), 'i');
  res.json(payees.filter((p) => re.test(p)));
});

app.get('/safe/search', (req, res) => {
  const escaped = req.query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // ok: javascript.express-regex-injection
  const re = new RegExp(escaped, 'i');
  res.json(payees.filter((p) => re.test(p)));
});

app.get('/safe/flags', (req, res) => {
  // ok: javascript.express-regex-injection
  const re = new RegExp('^[A-Z]{2}[0-9]{2}', req.query.caseInsensitive ? 'i' : '');
  res.json({ ok: re.test(req.query.iban) });
});
