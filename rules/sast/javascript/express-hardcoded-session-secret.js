const express = require('express');
const session = require('express-session');
const cookieParser = require('cookie-parser');

const app = express();

// ruleid: javascript.express-hardcoded-session-secret
app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false, cookie: { secure: true } }));

// ruleid: javascript.express-hardcoded-session-secret
app.use(cookieParser('s3cr3t-cookie-signing-key'));

// ruleid: javascript.express-hardcoded-session-secret
app.use(session({ secret: ['new-rotated-secret-2024', process.env.OLD_SECRET], cookie: { secure: true } }));

// ok: javascript.express-hardcoded-session-secret
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false, cookie: { secure: true } }));

// ok: javascript.express-hardcoded-session-secret
app.use(cookieParser(process.env.COOKIE_SECRET));

// ok: javascript.express-hardcoded-session-secret
app.use(session({ secret: [process.env.SESSION_SECRET, process.env.OLD_SESSION_SECRET], cookie: { secure: true } }));
