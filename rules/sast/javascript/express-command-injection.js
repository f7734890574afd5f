const express = require('express');
const cp = require('child_process');
const { execSync, spawn } = require('child_process');

const app = express();

app.get('/ping', (req, res) => {
  const host = req.query.host;
  // ruleid: javascript.express-command-injection
  cp.exec('ping -c 1 ' + host, (err, stdout) => res.send(stdout));
});

app.post('/convert', (req, res) => {
  // ruleid: javascript.express-command-injection
  const out = execSync(`convert /uploads/${req.body.file} /tmp/out.png`);
  res.send(out);
});

app.get('/lookup', (req, res) => {
  // ruleid: javascript.express-command-injection
  const child = spawn('sh', ['-c', 'nslookup ' + req.query.domain]);
  child.stdout.pipe(res);
});

app.get('/grep', (req, res) => {
  // ruleid: javascript.express-command-injection
  const child = spawn('grep', [req.query.term, '/var/log/app.log'], { shell: true });
  child.stdout.pipe(res);
});

app.get('/tool', (req, res) => {
  // ruleid: javascript.express-command-injection
  require('child_process').execFile(req.query.tool, (err, out) => res.send(out));
});

app.get('/safe/ping', (req, res) => {
  // ok: javascript.express-command-injection
  cp.execFile('ping', ['-c', '1', req.query.host], (err, stdout) => res.send(stdout));
});

app.get('/safe/grep', (req, res) => {
  // ok: javascript.express-command-injection
  const child = spawn('grep', ['--', req.query.term, '/var/log/app.log']);
  child.stdout.pipe(res);
});

app.get('/safe/match', (req, res) => {
  // ok: javascript.express-command-injection
  const m = /^[a-z]+$/.exec(req.query.name);
  res.send(String(Boolean(m)));
});

app.get('/safe/env', (req, res) => {
  // ok: javascript.express-command-injection
  cp.exec('make report', { env: { REPORT_ID: req.query.id } }, (err, out) => res.send(out));
});

app.get('/safe/tail', (req, res) => {
  const lines = parseInt(req.query.lines, 10);
  // ok: javascript.express-command-injection
  cp.exec('tail -n ' + lines + ' /var/log/app.log', (err, out) => res.send(out));
});
