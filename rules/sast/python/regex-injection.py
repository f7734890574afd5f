import re

from flask import Flask, request

app = Flask(__name__)
NAMES = ["alice", "bob", "carol"]


@app.route("/search")
def search():
    pattern = request.args.get("q", "")
    # ruleid: python.regex-injection
    rx = re.compile(pattern)
    return {"hits": [n for n in NAMES if rx.search(n)]}


@app.route("/filter", methods=["POST"])
def filter_names():
    prefix = request.form["prefix"]
    # ruleid: python.regex-injection
    return {"hits": [n for n in NAMES if re.match("^" + prefix + ".*$", n)]}


@app.route("/split/<sep>")
def split(sep):
    text = request.args.get("text", "")
    # ruleid: python.regex-injection
    return {"parts": re.split(sep, text)}


@app.route("/search/literal")
def search_literal():
    term = request.args.get("q", "")
    # ok: python.regex-injection
    rx = re.compile(re.escape(term), re.IGNORECASE)
    return {"hits": [n for n in NAMES if rx.search(n)]}


@app.route("/validate")
def validate():
    code = request.args.get("code", "")
    # ok: python.regex-injection
    ok = re.fullmatch(r"[A-Z]{3}-\d{4}", code) is not None
    return {"valid": ok}


@app.route("/words")
def words():
    text = request.args.get("text", "")
    # ok: python.regex-injection
    return {"words": re.findall(r"\w+", text)}
