const jwt = require('jsonwebtoken');

function currentUser(req) {
  const token = req.headers.authorization.replace('Bearer ', '');
  // ruleid: javascript.jwt-decode-without-verify
  const claims = jwt.decode(token);
  return claims.sub;
}

function isAdmin(req) {
  // ruleid: javascript.jwt-decode-without-verify
  const { payload } = jwt.decode(req.cookies.session, { complete: true });
  return payload.role === 'admin';
}

const requireRole = (role) => (req, res, next) => {
  // ruleid: javascript.jwt-decode-without-verify
  if (jwt.decode(req.get('x-token')).roles.includes(role)) return next();
  return res.sendStatus(403);
};

// ok: javascript.jwt-decode-without-verify
const parsed = JSON.parse(Buffer.from('eyJhIjoxfQ', 'base64').toString());

// ok: javascript.jwt-decode-without-verify
const decoded = decodeURIComponent('%2Faccounts');

// ok: javascript.jwt-decode-without-verify
const claimsOf = (token) => jwtDecode(token);

module.exports = { currentUser, isAdmin, requireRole, parsed, decoded, claimsOf };
