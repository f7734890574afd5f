const express = require('express');
const fs = require('fs');
const xpath = require('xpath');
const { DOMParser } = require('@xmldom/xmldom');

const app = express();
const doc = new DOMParser().parseFromString(fs.readFileSync('users.xml', 'utf8'), 'text/xml');

app.get('/user', (req, res) => {
  // ruleid: javascript.express-xpath-injection
  const nodes = xpath.select("//user[name='" + req.query.name + "']/email/text()", doc);
  res.json(nodes.map(String));
});

app.post('/login', (req, res) => {
  const expr = `//user[name='${req.body.user}' and password='${req.body.password}']`;
  // ruleid: javascript.express-xpath-injection
  const user = xpath.select1(expr, doc);
  res.json({ ok: Boolean(user) });
});

app.get('/ns', (req, res) => {
  const select = xpath.useNamespaces({ b: 'urn:bank' });
  // ruleid: javascript.express-xpath-injection
  const nodes = xpath.useNamespaces({ b: 'urn:bank' })('//b:account[@id="' + req.query.id + '"]', doc);
  res.json({ n: nodes.length, select: typeof select });
});

app.get('/safe/user', (req, res) => {
  // ok: javascript.express-xpath-injection
  const nodes = xpath.parse("//user[name=$name]/email/text()").select({
    node: doc,
    variables: { name: req.query.name },
  });
  res.json(nodes.map(String));
});

app.get('/safe/index', (req, res) => {
  // ok: javascript.express-xpath-injection
  const node = xpath.select1('//user[' + parseInt(req.query.i, 10) + ']', doc);
  res.json({ found: Boolean(node) });
});

app.get('/safe/all', (req, res) => {
  // ok: javascript.express-xpath-injection
  const nodes = xpath.select('//user/name/text()', doc);
  res.json(nodes.map(String).filter((n) => n.startsWith(req.query.prefix)));
});
