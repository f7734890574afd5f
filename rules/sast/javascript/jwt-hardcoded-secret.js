const jwt = require('jsonwebtoken');
const { expressjwt } = require('express-jwt');

const SIGNING_KEY = 'bank-portal-jwt-signing-key-2023';

function login(user) {
  // ruleid: javascript.jwt-hardcoded-secret
  return jwt.sign({ sub: user.id, role: user.role }, 'sup3r-s3cret-k3y', { expiresIn: '1h' });
}

function check(token) {
  // ruleid: javascript.jwt-hardcoded-secret
  return jwt.verify(token, SIGNING_KEY, { algorithms: ['HS256'] });
}

// ruleid: javascript.jwt-hardcoded-secret
const auth = expressjwt({ secret: 'another-hardcoded-secret', algorithms: ['HS256'] });

function safeLogin(user) {
  // ok: javascript.jwt-hardcoded-secret
  return jwt.sign({ sub: user.id }, process.env.JWT_SIGNING_KEY, { expiresIn: '15m' });
}

function safeCheck(token, publicKey) {
  // ok: javascript.jwt-hardcoded-secret
  return jwt.verify(token, publicKey, { algorithms: ['RS256'] });
}

// ok: javascript.jwt-hardcoded-secret
const safeAuth = expressjwt({ secret: process.env.JWT_SIGNING_KEY, algorithms: ['HS256'] });

function signReceipt(signer, privateKey) {
  // ok: javascript.jwt-hardcoded-secret
  return signer.sign(privateKey, 'base64');
}

module.exports = { login, check, auth, safeLogin, safeCheck, safeAuth, signReceipt };
