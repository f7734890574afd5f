from fastapi import FastAPI
from flask import Flask, request
from sqlalchemy import create_engine, literal_column, select, text

from .models import Invoice

app = Flask(__name__)
api = FastAPI()
engine = create_engine("postgresql+psycopg2://app@db/app")


@app.route("/invoices")
def invoices():
    customer = request.args["customer"]
    with engine.connect() as conn:
        # ruleid: python.sqli-sqlalchemy-text
        rows = conn.execute(text(f"SELECT * FROM invoices WHERE customer = '{customer}'"))
        return {"rows": [dict(r._mapping) for r in rows]}


@app.route("/invoices/sorted")
def invoices_sorted():
    column = request.args.get("sort", "id")
    # ruleid: python.sqli-sqlalchemy-text
    stmt = select(Invoice).order_by(literal_column(column))
    with engine.connect() as conn:
        return {"rows": [dict(r._mapping) for r in conn.execute(stmt)]}


@api.get("/invoices/{status}")
def invoices_by_status(status: str):
    with engine.connect() as conn:
        # ruleid: python.sqli-sqlalchemy-text
        rows = conn.exec_driver_sql("SELECT id FROM invoices WHERE status = '%s'" % status)
        return [r[0] for r in rows]


@app.route("/invoices/by-customer")
def invoices_by_customer():
    customer = request.args["customer"]
    with engine.connect() as conn:
        # ok: python.sqli-sqlalchemy-text
        rows = conn.execute(text("SELECT * FROM invoices WHERE customer = :c"), {"c": customer})
        return {"rows": [dict(r._mapping) for r in rows]}


@app.route("/invoices/recent")
def invoices_recent():
    days = int(request.args.get("days", "30"))
    with engine.connect() as conn:
        # ok: python.sqli-sqlalchemy-text
        rows = conn.execute(text(f"SELECT * FROM invoices WHERE created > now() - interval '{days} days'"))
        return {"rows": [dict(r._mapping) for r in rows]}


@api.get("/invoices/count/{status}")
def invoices_count(status: str):
    with engine.connect() as conn:
        # ok: python.sqli-sqlalchemy-text
        rows = conn.exec_driver_sql("SELECT count(*) FROM invoices WHERE status = %(s)s", {"s": status})
        return rows.scalar()


@api.get("/invoices/page/{page}")
def invoices_page(page: int):
    with engine.connect() as conn:
        # todook: python.sqli-sqlalchemy-text
        rows = conn.exec_driver_sql(f"SELECT id FROM invoices ORDER BY id LIMIT 20 OFFSET {page * 20}")
        return [r[0] for r in rows]


@app.route("/invoices/filter")
def invoices_filter():
    status = request.args.get("status")
    # ok: python.sqli-sqlalchemy-text
    stmt = select(Invoice).where(Invoice.status == status).order_by(text("created DESC"))
    with engine.connect() as conn:
        return {"rows": [dict(r._mapping) for r in conn.execute(stmt)]}
