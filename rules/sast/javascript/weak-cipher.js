const crypto = require('crypto');
const CryptoJS = require('crypto-js');

function encryptPan(pan, key, iv) {
  // ruleid: javascript.weak-cipher
  const cipher = crypto.createCipheriv('des-ede3-cbc', key, iv);
  return cipher.update(pan, 'utf8', 'hex') + cipher.final('hex');
}

function encryptToken(token, key) {
  // ruleid: javascript.weak-cipher
  const cipher = crypto.createCipheriv('aes-256-ecb', key, null);
  return cipher.update(token, 'utf8', 'base64') + cipher.final('base64');
}

function legacyEncrypt(text, password) {
  // ruleid: javascript.weak-cipher
  const cipher = crypto.createCipher('aes192', password);
  return cipher.update(text, 'utf8', 'hex') + cipher.final('hex');
}

function browserEncrypt(text, key) {
  // ruleid: javascript.weak-cipher
  return CryptoJS.AES.encrypt(text, key, { mode: CryptoJS.mode.ECB, padding: CryptoJS.pad.Pkcs7 }).toString();
}

function rc4(text, key) {
  // ruleid: javascript.weak-cipher
  return CryptoJS.RC4.encrypt(text, key).toString();
}

function safeEncrypt(pan, key) {
  const iv = crypto.randomBytes(12);
  // ok: javascript.weak-cipher
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  return Buffer.concat([iv, cipher.update(pan, 'utf8'), cipher.final(), cipher.getAuthTag()]);
}

function safeDecrypt(data, key, iv) {
  // ok: javascript.weak-cipher
  return crypto.createDecipheriv('chacha20-poly1305', key, iv, { authTagLength: 16 });
}

function safeBrowserEncrypt(text, key, iv) {
  // ok: javascript.weak-cipher
  return CryptoJS.AES.encrypt(text, key, { iv, mode: CryptoJS.mode.CBC }).toString();
}

module.exports = { encryptPan, encryptToken, legacyEncrypt, browserEncrypt, rc4, safeEncrypt, safeDecrypt, safeBrowserEncrypt };
