const mysql = require('mysql2');
const { Pool } = require('pg');
const { Sequelize } = require('sequelize');
const mongoose = require('mongoose');

// ruleid: javascript.hardcoded-database-password
const connection = mysql.createConnection({ host: 'db.internal', user: 'core', password: 'Winter2024!', database: 'ledger' });

// ruleid: javascript.hardcoded-database-password
const pool = new Pool({ host: 'pg.internal', user: 'payments', password: 'p4ym3nts-pw', database: 'payments' });

// ruleid: javascript.hardcoded-database-password
const sequelize = new Sequelize('cards', 'cards_app', 'Cards#2023', { host: 'db.internal', dialect: 'postgres' });

// ruleid: javascript.hardcoded-database-password
mongoose.connect('mongodb://audit:Aud1tPassw0rd@mongo.internal:27017/audit');

// ok: javascript.hardcoded-database-password
const safeConnection = mysql.createConnection({ host: 'db.internal', user: 'core', password: process.env.DB_PASSWORD, database: 'ledger' });

// ok: javascript.hardcoded-database-password
const safePool = new Pool({ connectionString: process.env.DATABASE_URL });

// ok: javascript.hardcoded-database-password
const safeSequelize = new Sequelize('cards', 'cards_app', process.env.CARDS_DB_PASSWORD, { dialect: 'postgres' });

// ok: javascript.hardcoded-database-password
mongoose.connect('mongodb://mongo.internal:27017/audit', { user: process.env.MONGO_USER, pass: process.env.MONGO_PASS });

module.exports = { connection, pool, sequelize, safeConnection, safePool, safeSequelize };
