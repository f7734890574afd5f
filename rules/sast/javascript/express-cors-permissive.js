const express = require('express');
const cors = require('cors');

const app = express();
const ALLOWED_ORIGINS = ['https://app.bank.example', 'https://admin.bank.example'];

// ruleid: javascript.express-cors-permissive
app.use(cors({ origin: true, credentials: true }));

// ruleid: javascript.express-cors-permissive
app.use('/api', cors({ credentials: true, origin: '*', methods: ['GET', 'POST'] }));

app.use((req, res, next) => {
  // ruleid: javascript.express-cors-permissive
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  next();
});

app.use('/v2', (req, res, next) => {
  // ruleid: javascript.express-cors-permissive
  res.header('access-control-allow-origin', req.header('Origin') || '*');
  next();
});

// ok: javascript.express-cors-permissive
app.use(cors({ origin: ALLOWED_ORIGINS, credentials: true }));

// ok: javascript.express-cors-permissive
app.use('/public', cors({ origin: '*' }));

app.use('/v3', (req, res, next) => {
  const origin = req.headers.origin;
  if (ALLOWED_ORIGINS.includes(origin)) {
    // ok: javascript.express-cors-permissive
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
    res.setHeader('Vary', 'Origin');
  }
  next();
});

app.use('/v4', (req, res, next) => {
  // ok: javascript.express-cors-permissive
  res.set('Access-Control-Allow-Origin', req.get('X-Forwarded-Host') ? 'https://app.bank.example' : 'null');
  next();
});
