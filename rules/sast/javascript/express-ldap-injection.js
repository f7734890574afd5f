const express = require('express');
const ldap = require('ldapjs');

const app = express();
app.use(express.json());
const client = ldap.createClient({ url: 'ldaps://ldap.bank.example' });

app.post('/login', (req, res) => {
  // ruleid: javascript.express-ldap-injection
  client.search('ou=people,dc=bank,dc=example', { filter: '(uid=' + req.body.username + ')', scope: 'sub' }, (err, search) => {
    search.on('end', () => res.end());
  });
});

app.get('/directory', (req, res) => {
  const opts = {
    filter: `(&(objectClass=person)(cn=${req.query.name}))`,
    scope: 'sub',
    attributes: ['cn', 'mail'],
  };
  // ruleid: javascript.express-ldap-injection
  client.search('dc=bank,dc=example', opts, (err, search) => search.on('end', () => res.end()));
});

app.get('/group', (req, res) => {
  // ruleid: javascript.express-ldap-injection
  client.search('ou=' + req.query.ou + ',dc=bank,dc=example', { scope: 'one' }, (err, search) => {
    search.on('end', () => res.end());
  });
});

app.post('/safe/login', (req, res) => {
  const filter = new ldap.EqualityFilter({ attribute: 'uid', value: req.body.username });
  // ok: javascript.express-ldap-injection
  client.search('ou=people,dc=bank,dc=example', { filter, scope: 'sub' }, (err, search) => {
    search.on('end', () => res.end());
  });
});

app.get('/safe/all', (req, res) => {
  // ok: javascript.express-ldap-injection
  client.search('ou=people,dc=bank,dc=example', { filter: '(objectClass=person)', scope: 'sub', sizeLimit: Number(req.query.limit) }, (err, search) => {
    search.on('end', () => res.end());
  });
});

app.get('/safe/escaped', (req, res) => {
  // ok: javascript.express-ldap-injection
  client.search('dc=bank,dc=example', { filter: '(cn=' + escapeLdapFilter(req.query.name) + ')', scope: 'sub' }, (err, search) => {
    search.on('end', () => res.end());
  });
});

function escapeLdapFilter(value) {
  return String(value).replace(/[*()\\\0]/g, (c) => '\\' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}
