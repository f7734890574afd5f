const https = require('https');
const tls = require('tls');
const axios = require('axios');
const got = require('got');

// ruleid: javascript.tls-verification-disabled
const insecureAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

function connectLedger(host) {
  // ruleid: javascript.tls-verification-disabled
  return tls.connect(8443, host, { rejectUnauthorized: false });
}

// ruleid: javascript.tls-verification-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

async function fetchRates() {
  // ruleid: javascript.tls-verification-disabled
  return got('https://rates.internal.example', { https: { rejectUnauthorized: false } }).json();
}

// ruleid: javascript.tls-verification-disabled
https.globalAgent.options.rejectUnauthorized = false;

// ok: javascript.tls-verification-disabled
const agent = new https.Agent({ keepAlive: true, ca: process.env.INTERNAL_CA_PEM });

function safeConnect(host) {
  // ok: javascript.tls-verification-disabled
  return tls.connect(8443, host, { rejectUnauthorized: true, servername: host });
}

// ok: javascript.tls-verification-disabled
const client = axios.create({ baseURL: 'https://api.bank.example', httpsAgent: agent, decompress: false });

module.exports = { insecureAgent, connectLedger, fetchRates, agent, safeConnect, client };
