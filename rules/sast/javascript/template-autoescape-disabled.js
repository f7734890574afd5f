const Handlebars = require('handlebars');
const nunjucks = require('nunjucks');
const Mustache = require('mustache');
const { engine } = require('express-handlebars');
const express = require('express');

const app = express();

// ruleid: javascript.template-autoescape-disabled
const statement = Handlebars.compile('<p>{{payee}}</p>', { noEscape: true });

// ruleid: javascript.template-autoescape-disabled
app.engine('hbs', engine({ extname: '.hbs', compilerOptions: { noEscape: true } }));

// ruleid: javascript.template-autoescape-disabled
nunjucks.configure('views', { autoescape: false, express: app });

// ruleid: javascript.template-autoescape-disabled
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader('views'), { autoescape: false });

// ruleid: javascript.template-autoescape-disabled
Mustache.escape = function (text) { return text; };

// ok: javascript.template-autoescape-disabled
const receipt = Handlebars.compile('<p>{{payee}}</p>', { strict: true });

// ok: javascript.template-autoescape-disabled
app.engine('handlebars', engine({ compilerOptions: { noEscape: false } }));

// ok: javascript.template-autoescape-disabled
nunjucks.configure('views', { autoescape: true, express: app });

// ok: javascript.template-autoescape-disabled
Mustache.escape = function (text) { return customEscape(text); };

module.exports = { statement, env, receipt };
