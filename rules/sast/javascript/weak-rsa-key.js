const crypto = require('crypto');
const NodeRSA = require('node-rsa');

// ruleid: javascript.weak-rsa-key
const signing = crypto.generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 0x10001 });

function createDsaKey(cb) {
  // ruleid: javascript.weak-rsa-key
  crypto.generateKeyPair('dsa', { modulusLength: 512 }, cb);
}

// ruleid: javascript.weak-rsa-key
const legacy = new NodeRSA({ b: 768 });

// ok: javascript.weak-rsa-key
const modern = crypto.generateKeyPairSync('rsa', { modulusLength: 3072 });

// ok: javascript.weak-rsa-key
const standard = new NodeRSA({ b: 2048 });

// ok: javascript.weak-rsa-key
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });

module.exports = { signing, createDsaKey, legacy, modern, standard, ec };
