const express = require('express');
const vm = require('vm');

const app = express();
app.use(express.json());

app.get('/calc', (req, res) => {
  // ruleid: javascript.express-code-injection
  const result = eval(req.query.expr);
  res.json({ result });
});

app.post('/rules', (req, res) => {
  const body = req.body.rule;
  // ruleid: javascript.express-code-injection
  const check = new Function('tx', 'return ' + body);
  res.json({ ok: check({ amount: 10 }) });
});

app.post('/sandbox', (req, res) => {
  // ruleid: javascript.express-code-injection
  const out = vm.runInNewContext(req.body.script, { amount: 100 });
  res.json({ out });
});

app.get('/later', (req, res) => {
  // ruleid: javascript.express-code-injection
  setTimeout('notify("' + req.query.user + '")', 1000);
  res.end();
});

app.get('/safe/calc', (req, res) => {
  // ok: javascript.express-code-injection
  const data = JSON.parse(req.query.payload);
  res.json(data);
});

app.post('/safe/sandbox', (req, res) => {
  // ok: javascript.express-code-injection
  const out = vm.runInNewContext('amount * rate', { amount: Number(req.body.amount), rate: 0.02 });
  res.json({ out });
});

app.get('/safe/later', (req, res) => {
  // ok: javascript.express-code-injection
  setTimeout(() => notify(req.query.user), Number(req.query.delay));
  res.end();
});

app.get('/safe/static', (req, res) => {
  // ok: javascript.express-code-injection
  const fn = new Function('a', 'b', 'return a + b');
  res.json({ sum: fn(Number(req.query.a), Number(req.query.b)) });
});
