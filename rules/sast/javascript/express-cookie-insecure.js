const express = require('express');
const crypto = require('crypto');

const app = express();

app.post('/login', (req, res) => {
  const sid = crypto.randomBytes(32).toString('hex');
  // ruleid: javascript.express-cookie-insecure
  res.cookie('sid', sid);
  res.sendStatus(204);
});

app.post('/remember', (req, res) => {
  // ruleid: javascript.express-cookie-insecure
  res.cookie('remember_me', req.user.rememberToken, { httpOnly: true, maxAge: 30 * 24 * 3600 * 1000 });
  res.sendStatus(204);
});

app.post('/device', (req, res) => {
  // ruleid: javascript.express-cookie-insecure
  res.cookie('device', req.body.deviceId, { secure: true, httpOnly: false, sameSite: 'strict' });
  res.sendStatus(204);
});

app.post('/safe/login', (req, res) => {
  const sid = crypto.randomBytes(32).toString('hex');
  // ok: javascript.express-cookie-insecure
  res.cookie('sid', sid, { secure: true, httpOnly: true, sameSite: 'strict', maxAge: 15 * 60 * 1000 });
  res.sendStatus(204);
});

app.post('/safe/remember', (req, res) => {
  // ok: javascript.express-cookie-insecure
  res.cookie('remember_me', req.user.rememberToken, { httpOnly: true, sameSite: 'lax', secure: true });
  res.sendStatus(204);
});

app.post('/safe/logout', (req, res) => {
  // ok: javascript.express-cookie-insecure
  res.cookie('sid', '', { maxAge: 0 });
  res.clearCookie('remember_me');
  res.sendStatus(204);
});
