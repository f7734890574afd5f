const express = require('express');
const session = require('express-session');

const app = express();
app.set('trust proxy', 1);

// ruleid: javascript.express-session-insecure-cookie
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));

app.use(
  // ruleid: javascript.express-session-insecure-cookie
  session({
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, maxAge: 15 * 60 * 1000 },
  })
);

// ruleid: javascript.express-session-insecure-cookie
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true, httpOnly: false } }));

app.use(
  // ok: javascript.express-session-insecure-cookie
  session({
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: { secure: true, httpOnly: true, sameSite: 'strict', maxAge: 15 * 60 * 1000 },
  })
);

// ok: javascript.express-session-insecure-cookie
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: process.env.NODE_ENV === 'production' } }));

const cookieOptions = { secure: true, httpOnly: true, sameSite: 'lax' };
// ok: javascript.express-session-insecure-cookie
app.use(session({ secret: process.env.SESSION_SECRET, cookie: cookieOptions }));
