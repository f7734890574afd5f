import ast
import json

from flask import Flask, request

app = Flask(__name__)


@app.route("/calc")
def calc():
    expr = request.args.get("expr", "0")
    # ruleid: python.code-injection-eval
    return {"result": eval(expr)}


@app.route("/hooks", methods=["POST"])
def run_hook():
    body = request.get_json()
    code = "def hook(event):\n    " + body["hook"]
    scope = {}
    # ruleid: python.code-injection-eval
    exec(code, scope)
    return {"result": scope["hook"](body["event"])}


@app.route("/rules/<name>")
def compile_rule(name):
    # ruleid: python.code-injection-eval
    rule = compile("lambda row: " + name, "<rule>", "eval")
    return {"ok": rule is not None}


@app.route("/settings", methods=["POST"])
def settings():
    raw = request.form["value"]
    # ok: python.code-injection-eval
    value = ast.literal_eval(raw)
    # ok: python.code-injection-eval
    options = eval("dict(theme='dark')")
    return {"value": value, "options": options, "parsed": json.loads(raw)}


@app.route("/greeting", methods=["POST"])
def greeting():
    literal = request.form.get("literal", "")
    if not literal.startswith("'") or not literal.endswith("'") or "'" in literal[1:-1]:
        return "argument must be a plain string literal", 400
    # ok: python.code-injection-eval
    return {"greeting": eval(literal)}


@app.route("/square")
def square():
    n = request.args.get("n", "0")
    if not n.isdigit():
        return "digits only", 400
    # ok: python.code-injection-eval
    return {"result": eval(n + " ** 2")}


@app.route("/double")
def double():
    n = int(request.args.get("n", "0"))
    # ok: python.code-injection-eval
    return {"result": eval(f"{n} * 2")}
