const express = require('express');

const app = express();

app.get('/login/done', (req, res) => {
  // ruleid: javascript.express-open-redirect
  res.redirect(req.query.next);
});

app.get('/logout', (req, res) => {
  const target = req.query.returnTo || '/';
  // ruleid: javascript.express-open-redirect
  res.redirect(302, target);
});

app.get('/sso', (req, res) => {
  // ruleid: javascript.express-open-redirect
  res.writeHead(302, { Location: 'https://' + req.query.host + '/callback' });
  res.end();
});

app.get('/go', (req, res) => {
  // ruleid: javascript.express-open-redirect
  res.location(`${req.get('referer')}`).sendStatus(302);
});

app.get('/safe/account', (req, res) => {
  // ok: javascript.express-open-redirect
  res.redirect('/accounts/' + encodeURIComponent(req.query.id));
});

app.get('/safe/statement', (req, res) => {
  // ok: javascript.express-open-redirect
  res.redirect(`/statements/${req.params.year}`);
});

app.get('/safe/help', (req, res) => {
  // ok: javascript.express-open-redirect
  res.redirect(301, 'https://help.bank.example/articles/' + req.query.article);
});

const ALLOWED = { home: '/', profile: '/profile' };
app.get('/safe/menu', (req, res) => {
  // ok: javascript.express-open-redirect
  res.redirect(ALLOWED.home);
});
