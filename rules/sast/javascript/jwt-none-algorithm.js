const jwt = require('jsonwebtoken');
const { expressjwt } = require('express-jwt');
const jose = require('jose');

function check(token, key) {
  // ruleid: javascript.jwt-none-algorithm
  return jwt.verify(token, key, { algorithms: ['HS256', 'none'] });
}

function issue(user) {
  // ruleid: javascript.jwt-none-algorithm
  return jwt.sign({ sub: user.id }, '', { algorithm: 'none', expiresIn: '1h' });
}

// ruleid: javascript.jwt-none-algorithm
const auth = expressjwt({ secret: process.env.JWT_KEY, algorithms: ['none'] });

function debugToken(token) {
  // ruleid: javascript.jwt-none-algorithm
  return jose.UnsecuredJWT.decode(token);
}

function safeCheck(token, key) {
  // ok: javascript.jwt-none-algorithm
  return jwt.verify(token, key, { algorithms: ['HS256'] });
}

function safeIssue(user, privateKey) {
  // ok: javascript.jwt-none-algorithm
  return jwt.sign({ sub: user.id }, privateKey, { algorithm: 'RS256', expiresIn: '15m' });
}

// ok: javascript.jwt-none-algorithm
const safeAuth = expressjwt({ secret: process.env.JWT_KEY, algorithms: ['HS256'] });

module.exports = { check, issue, auth, debugToken, safeCheck, safeIssue, safeAuth };
