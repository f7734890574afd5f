const crypto = require('crypto');

function generateResetToken() {
  // ruleid: javascript.insecure-random
  return Math.random().toString(36).substring(2) + Date.now().toString(36);
}

// ruleid: javascript.insecure-random
const otpCode = Math.floor(100000 + Math.random() * 900000);

class SessionStore {
  create(user) {
    // ruleid: javascript.insecure-random
    user.sessionId = Math.random().toString(16).slice(2);
    return user;
  }

  newCsrfToken() {
    // ruleid: javascript.insecure-random
    return String(Math.random()).slice(2);
  }
}

function safeResetToken() {
  // ok: javascript.insecure-random
  return crypto.randomBytes(32).toString('hex');
}

// ok: javascript.insecure-random
const safeOtp = crypto.randomInt(100000, 1000000);

// ok: javascript.insecure-random
const retryJitterMs = Math.floor(Math.random() * 250);

function shuffleTips(tips) {
  // ok: javascript.insecure-random
  return tips.sort(() => Math.random() - 0.5);
}

module.exports = { generateResetToken, otpCode, SessionStore, safeResetToken, safeOtp, retryJitterMs, shuffleTips };
