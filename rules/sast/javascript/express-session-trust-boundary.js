const express = require('express');

const app = express();
app.use(express.json());

app.post('/profile/role', (req, res) => {
  // ruleid: javascript.express-session-trust-boundary
  req.session.role = req.body.role;
  res.sendStatus(204);
});

app.get('/switch', (req, res) => {
  // ruleid: javascript.express-session-trust-boundary
  req.session['accountId'] = req.query.account;
  res.redirect('/dashboard');
});

app.post('/mfa', (req, res) => {
  // ruleid: javascript.express-session-trust-boundary
  req.session.mfaVerified = req.body.verified === 'true';
  res.sendStatus(204);
});

app.post('/safe/login', async (req, res) => {
  const user = await authenticate(req.body.username, req.body.password);
  // ok: javascript.express-session-trust-boundary
  req.session.userId = user.id;
  res.sendStatus(204);
});

app.post('/safe/locale', (req, res) => {
  const locale = ['en', 'de', 'fr'].includes(req.body.locale) ? req.body.locale : 'en';
  // ok: javascript.express-session-trust-boundary
  req.session.locale = locale;
  res.sendStatus(204);
});

app.post('/safe/visits', (req, res) => {
  // ok: javascript.express-session-trust-boundary
  req.session.visits = (req.session.visits || 0) + 1;
  res.sendStatus(204);
});

async function authenticate(username, password) {
  return { id: 1, username, password: undefined };
}
