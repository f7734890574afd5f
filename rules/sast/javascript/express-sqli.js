const express = require('express');
const mysql = require('mysql2');
const { Pool } = require('pg');
const { Sequelize, QueryTypes } = require('sequelize');

const app = express();
const connection = mysql.createConnection({ host: 'db', user: 'app', database: 'bank' });
const pool = new Pool();
const sequelize = new Sequelize(process.env.DATABASE_URL);

app.get('/accounts', (req, res) => {
  const owner = req.query.owner;
  // ruleid: javascript.express-sqli
  connection.query("SELECT * FROM accounts WHERE owner = '" + owner + "'", (err, rows) => {
    res.json(rows);
  });
});

app.get('/accounts/:id', async (req, res) => {
  // ruleid: javascript.express-sqli
  const result = await pool.query(`SELECT * FROM accounts WHERE id = ${req.params.id}`);
  res.json(result.rows);
});

app.post('/search', async (req, res) => {
  const sql = 'SELECT * FROM payees WHERE name LIKE "%' + req.body.name + '%"';
  // ruleid: javascript.express-sqli
  const rows = await sequelize.query(sql, { type: QueryTypes.SELECT });
  res.json(rows);
});

app.get('/sorted', async (req, res) => {
  // ruleid: javascript.express-sqli
  const rows = await pool.query({ text: 'SELECT * FROM tx ORDER BY ' + req.query.sort, values: [] });
  res.json(rows);
});

app.get('/safe/accounts', (req, res) => {
  // ok: javascript.express-sqli
  connection.query('SELECT * FROM accounts WHERE owner = ?', [req.query.owner], (err, rows) => {
    res.json(rows);
  });
});

app.get('/safe/accounts/:id', async (req, res) => {
  // ok: javascript.express-sqli
  const result = await pool.query('SELECT * FROM accounts WHERE id = $1', [req.params.id]);
  res.json(result.rows);
});

app.post('/safe/search', async (req, res) => {
  // ok: javascript.express-sqli
  const rows = await sequelize.query('SELECT * FROM payees WHERE name = :name', {
    replacements: { name: req.body.name },
    type: QueryTypes.SELECT,
  });
  res.json(rows);
});

app.get('/safe/limit', async (req, res) => {
  const limit = parseInt(req.query.limit, 10);
  // ok: javascript.express-sqli
  const rows = await pool.query('SELECT * FROM tx LIMIT ' + limit);
  res.json(rows);
});

app.get('/safe/escaped', (req, res) => {
  // ok: javascript.express-sqli
  connection.query('SELECT * FROM accounts WHERE owner = ' + mysql.escape(req.query.owner), (e, r) => res.json(r));
});
