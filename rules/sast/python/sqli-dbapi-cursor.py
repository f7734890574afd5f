import sqlite3

import psycopg2
from psycopg2 import sql
from flask import Flask, request

app = Flask(__name__)


def get_db():
    return sqlite3.connect("app.db")


@app.route("/users/search")
def search_users():
    name = request.args.get("name", "")
    cur = get_db().cursor()
    # ruleid: python.sqli-dbapi-cursor
    cur.execute(f"SELECT id, email FROM users WHERE name = '{name}'")
    return {"rows": cur.fetchall()}


@app.route("/users/by-role", methods=["POST"])
def users_by_role():
    role = request.form["role"]
    query = "SELECT id FROM users WHERE role = '" + role + "' ORDER BY id"
    conn = get_db()
    # ruleid: python.sqli-dbapi-cursor
    rows = conn.execute(query).fetchall()
    return {"rows": rows}


@app.route("/audit/<table>")
def audit_table(table):
    with psycopg2.connect("dbname=audit") as conn:
        with conn.cursor() as cur:
            # ruleid: python.sqli-dbapi-cursor
            cur.execute("SELECT count(*) FROM %s" % table)
            return {"count": cur.fetchone()[0]}


@app.route("/admin/migrate", methods=["POST"])
def run_migration():
    script = request.get_data(as_text=True)
    cur = get_db().cursor()
    # ruleid: python.sqli-dbapi-cursor
    cur.executescript("BEGIN;\n" + script + "\nCOMMIT;")
    return "", 204


@app.route("/users/lookup")
def lookup_user():
    name = request.args.get("name", "")
    cur = get_db().cursor()
    # ok: python.sqli-dbapi-cursor
    cur.execute("SELECT id, email FROM users WHERE name = ?", (name,))
    return {"rows": cur.fetchall()}


@app.route("/users/page")
def page_users():
    page = int(request.args.get("page", "1"))
    cur = get_db().cursor()
    # ok: python.sqli-dbapi-cursor
    cur.execute(f"SELECT id FROM users LIMIT 20 OFFSET {page * 20}")
    return {"rows": cur.fetchall()}


@app.route("/reports/<column>")
def report(column):
    with psycopg2.connect("dbname=reports") as conn:
        with conn.cursor() as cur:
            query = sql.SQL("SELECT {} FROM sales WHERE region = %s").format(sql.Identifier(column))
            # ok: python.sqli-dbapi-cursor
            cur.execute(query, (request.args.get("region"),))
            return {"rows": cur.fetchall()}


@app.route("/users/recent")
def recent_users():
    limit = request.args.get("limit", "10")
    sort = "created_at"
    cur = get_db().cursor()
    # ok: python.sqli-dbapi-cursor
    cur.executemany("INSERT INTO access_log (path, lim) VALUES (?, ?)", [(request.path, limit)])
    # ok: python.sqli-dbapi-cursor
    cur.execute(f"SELECT id FROM users ORDER BY {sort} DESC")
    return {"rows": cur.fetchall()}
