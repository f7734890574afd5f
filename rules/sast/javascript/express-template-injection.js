const express = require('express');
const ejs = require('ejs');
const pug = require('pug');
const _ = require('lodash');
const Handlebars = require('handlebars');
const nunjucks = require('nunjucks');

const app = express();
app.use(express.json());

app.post('/preview', (req, res) => {
  // ruleid: javascript.express-template-injection
  const html = ejs.render(req.body.template, { customer: 'Ann' });
  res.send(html);
});

app.get('/banner', (req, res) => {
  const source = 'h1 Welcome ' + req.query.name;
  // ruleid: javascript.express-template-injection
  const fn = pug.compile(source);
  res.send(fn());
});

app.post('/mail/preview', (req, res) => {
  // ruleid: javascript.express-template-injection
  const compiled = _.template(req.body.mailTemplate);
  res.send(compiled({ amount: 10 }));
});

app.post('/card', (req, res) => {
  // ruleid: javascript.express-template-injection
  const tpl = Handlebars.compile(`<div>${req.body.layout}</div>`);
  res.send(tpl({}));
});

app.get('/notice', (req, res) => {
  // ruleid: javascript.express-template-injection
  res.send(nunjucks.renderString(req.query.notice, { bank: 'Example Bank' }));
});

app.get('/safe/page', (req, res) => {
  // ok: javascript.express-template-injection
  res.send(nunjucks.render('page.njk', { title: req.query.title }));
});

app.get('/safe/preview', (req, res) => {
  // ok: javascript.express-template-injection
  const html = ejs.render('<p>Hello <%= name %></p>', { name: req.query.name });
  res.send(html);
});

app.get('/safe/banner', (req, res) => {
  // ok: javascript.express-template-injection
  res.render('banner', { name: req.query.name });
});

const welcome = pug.compileFile('views/welcome.pug');
app.get('/safe/welcome', (req, res) => {
  // ok: javascript.express-template-injection
  res.send(welcome({ name: req.query.name }));
});

app.get('/safe/mail', (req, res) => {
  // ok: javascript.express-template-injection
  const compiled = _.template('Dear <%- name %>,');
  res.send(compiled({ name: req.query.name }));
});
