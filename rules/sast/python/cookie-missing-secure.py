from django.http import HttpResponse
from flask import Flask, make_response, request

app = Flask(__name__)
COOKIE_OPTS = {"secure": True, "httponly": True, "samesite": "Lax"}


@app.route("/login", methods=["POST"])
def login():
    resp = make_response("ok")
    # ruleid: python.cookie-missing-secure
    resp.set_cookie("session_id", "abc123", httponly=True)
    return resp


@app.route("/prefs", methods=["POST"])
def prefs():
    resp = make_response("saved")
    # ruleid: python.cookie-missing-secure
    resp.set_cookie("theme", request.form.get("theme", "light"), secure=False, httponly=True)
    return resp


def django_remember(request):
    response = HttpResponse("remembered")
    # ruleid: python.cookie-missing-secure
    response.set_signed_cookie("remember_me", "1", max_age=86400, httponly=True)
    return response


@app.route("/login/secure", methods=["POST"])
def login_secure():
    resp = make_response("ok")
    # ok: python.cookie-missing-secure
    resp.set_cookie("session_id", "abc123", secure=True, httponly=True, samesite="Lax")
    return resp


@app.route("/prefs/secure", methods=["POST"])
def prefs_secure():
    resp = make_response("saved")
    # ok: python.cookie-missing-secure
    resp.set_cookie("theme", request.form.get("theme", "light"), **COOKIE_OPTS)
    return resp


@app.route("/logout")
def logout():
    resp = make_response("bye")
    # ok: python.cookie-missing-secure
    resp.set_cookie("session_id", "", max_age=0)
    # ok: python.cookie-missing-secure
    resp.set_cookie("lang", "en", secure=app.config["SESSION_COOKIE_SECURE"])
    return resp
