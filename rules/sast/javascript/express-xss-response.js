const express = require('express');
const escapeHtml = require('escape-html');

const app = express();

app.get('/greet', (req, res) => {
  // ruleid: javascript.express-xss-response
  res.send('<h1>Hello ' + req.query.name + '</h1>');
});

app.get('/search', (req, res) => {
  const term = req.query.q;
  res.write('<p>Results for ');
  // ruleid: javascript.express-xss-response
  res.write(term);
  res.end('</p>');
});

app.get('/error', (req, res) => {
  // ruleid: javascript.express-xss-response
  res.status(400).end(`<div class="error">Unknown account ${req.params.id}</div>`);
});

app.get('/safe/greet', (req, res) => {
  // ok: javascript.express-xss-response
  res.send('<h1>Hello ' + escapeHtml(req.query.name) + '</h1>');
});

app.get('/safe/json', (req, res) => {
  // ok: javascript.express-xss-response
  res.send({ query: req.query.q, page: 1 });
});

app.get('/safe/api', (req, res) => {
  // ok: javascript.express-xss-response
  res.json({ echo: req.query.q });
});

app.get('/safe/count', (req, res) => {
  // ok: javascript.express-xss-response
  res.send('<p>Page ' + parseInt(req.query.page, 10) + '</p>');
});
