from flask import Flask, request

from .config import settings

app = Flask(__name__)


class Greeter:
    def __init__(self, name):
        self.name = name


@app.route("/greet")
def greet():
    template = request.args.get("template", "Hello {user.name}")
    # ruleid: python.format-string-injection
    return {"text": template.format(user=Greeter("demo"), settings=settings)}


@app.route("/notify", methods=["POST"])
def notify():
    body = request.get_json()
    # ruleid: python.format-string-injection
    message = body["message"].format_map({"app": app})
    return {"message": message}


@app.route("/label/<fmt>")
def label(fmt):
    # ruleid: python.format-string-injection
    return {"label": ("Order: " + fmt).format(order=42)}


@app.route("/greet/safe")
def greet_safe():
    name = request.args.get("name", "demo")
    # ok: python.format-string-injection
    return {"text": "Hello {}".format(name)}


@app.route("/greet/named")
def greet_named():
    name = request.args.get("name", "demo")
    # ok: python.format-string-injection
    return {"text": "Hello {user}, welcome to {app}".format(user=name, app="portal")}


@app.route("/greet/fstring")
def greet_fstring():
    name = request.args.get("name", "demo")
    # ok: python.format-string-injection
    return {"text": f"Hello {name}"}
