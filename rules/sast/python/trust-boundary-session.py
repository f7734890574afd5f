import flask
from flask import Flask, request, session

app = Flask(__name__)


@app.route("/prefs", methods=["POST"])
def save_prefs():
    # ruleid: python.trust-boundary-session
    session["role"] = request.form.get("role", "viewer")
    return "", 204


@app.route("/cart/<item>", methods=["POST"])
def add_item(item):
    # ruleid: python.trust-boundary-session
    flask.session[item] = "1"
    return "", 204


def django_set_tenant(request):
    tenant = request.POST["tenant"]
    # ruleid: python.trust-boundary-session
    request.session["tenant_id"] = tenant
    return None


@app.route("/profile", methods=["POST"])
def profile():
    # ruleid: python.trust-boundary-session
    session.update(request.get_json())
    return "", 204


@app.route("/page-size", methods=["POST"])
def page_size():
    # ok: python.trust-boundary-session
    session["page_size"] = int(request.form.get("size", "20"))
    return "", 204


@app.route("/theme", methods=["POST"])
def theme():
    choice = request.form.get("theme", "light")
    # ok: python.trust-boundary-session
    session["theme"] = "dark" if choice == "dark" else "light"
    return "", 204


@app.route("/visit")
def visit():
    lang = request.args.get("lang", "en")
    # ok: python.trust-boundary-session
    session["visits"] = session.get("visits", 0) + 1
    return {"lang": lang}
