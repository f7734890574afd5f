const crypto = require('crypto');
const CryptoJS = require('crypto-js');

function passwordDigest(password, salt) {
  // ruleid: javascript.weak-hash
  return crypto.createHash('md5').update(salt + password).digest('hex');
}

function signatureBase(payload) {
  // ruleid: javascript.weak-hash
  return crypto.createHash('sha1').update(JSON.stringify(payload)).digest('base64');
}

function legacyChecksum(text) {
  // ruleid: javascript.weak-hash
  return CryptoJS.MD5(text).toString();
}

function fingerprint(cert) {
  // ruleid: javascript.weak-hash
  return crypto.createHash('SHA1').update(cert).digest('hex');
}

function safeDigest(payload) {
  // ok: javascript.weak-hash
  return crypto.createHash('sha256').update(JSON.stringify(payload)).digest('hex');
}

function safeMac(key, payload) {
  // ok: javascript.weak-hash
  return crypto.createHmac('sha256', key).update(payload).digest('hex');
}

function safeSha3(data) {
  // ok: javascript.weak-hash
  return crypto.createHash('sha3-256').update(data).digest('hex');
}

module.exports = { passwordDigest, signatureBase, legacyChecksum, fingerprint, safeDigest, safeMac, safeSha3 };
