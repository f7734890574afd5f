const crypto = require('crypto');
const CryptoJS = require('crypto-js');

function encryptCard(pan, iv) {
  // ruleid: javascript.hardcoded-crypto-key
  const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from('6f1d2c9a8b7e4f3a6f1d2c9a8b7e4f3a', 'hex'), iv);
  return Buffer.concat([cipher.update(pan, 'utf8'), cipher.final()]);
}

function signWebhook(body) {
  // ruleid: javascript.hardcoded-crypto-key
  return crypto.createHmac('sha256', 'whsec_live_2f8c1e0d9b').update(body).digest('hex');
}

function encryptNote(note) {
  // ruleid: javascript.hardcoded-crypto-key
  return CryptoJS.AES.encrypt(note, 'my-static-passphrase').toString();
}

const STATEMENT_KEY = 'c0ffee-c0ffee-c0ffee-c0ffee-c0ff';

function decryptStatement(data, iv) {
  // ruleid: javascript.hardcoded-crypto-key
  const decipher = crypto.createDecipheriv('aes-256-cbc', STATEMENT_KEY, iv);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

function safeEncryptCard(pan, iv) {
  // ok: javascript.hardcoded-crypto-key
  const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(process.env.CARD_KEY_HEX, 'hex'), iv);
  return Buffer.concat([cipher.update(pan, 'utf8'), cipher.final()]);
}

function safeSignWebhook(body, key) {
  // ok: javascript.hardcoded-crypto-key
  return crypto.createHmac('sha256', key).update(body).digest('hex');
}

function safeDigest(body) {
  // ok: javascript.hardcoded-crypto-key
  return crypto.createHash('sha256').update('static-prefix' + body).digest('hex');
}

module.exports = { decryptStatement, encryptCard, signWebhook, encryptNote, safeEncryptCard, safeSignWebhook, safeDigest };
