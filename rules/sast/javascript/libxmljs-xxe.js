const express = require('express');
const libxmljs = require('libxmljs');

const app = express();
app.use(express.text({ type: 'application/xml' }));

app.post('/payments/import', (req, res) => {
  // ruleid: javascript.libxmljs-xxe
  const doc = libxmljs.parseXml(req.body, { noent: true });
  res.json({ payments: doc.find('//payment').length });
});

app.post('/statements/import', (req, res) => {
  // ruleid: javascript.libxmljs-xxe
  const doc = libxmljs.parseXmlString(req.body, { noblanks: true, noent: true, nocdata: true });
  res.json({ root: doc.root().name() });
});

const parseOptions = { noent: true, dtdload: true };
app.post('/camt/import', (req, res) => {
  // ruleid: javascript.libxmljs-xxe
  const doc = libxmljs.parseXml(req.body, parseOptions);
  res.json({ root: doc.root().name() });
});

app.post('/safe/payments/import', (req, res) => {
  // ok: javascript.libxmljs-xxe
  const doc = libxmljs.parseXml(req.body);
  res.json({ payments: doc.find('//payment').length });
});

app.post('/safe/statements/import', (req, res) => {
  // ok: javascript.libxmljs-xxe
  const doc = libxmljs.parseXmlString(req.body, { noent: false, noblanks: true });
  res.json({ root: doc.root().name() });
});

app.post('/safe/camt/import', (req, res) => {
  // ok: javascript.libxmljs-xxe
  const doc = libxmljs.parseXml(req.body, { nonet: true, noblanks: true });
  res.json({ root: doc.root().name() });
});
