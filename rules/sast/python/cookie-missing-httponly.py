from flask import Flask, make_response

app = Flask(__name__)
# ruleid: python.cookie-missing-httponly
app.config["SESSION_COOKIE_HTTPONLY"] = False


@app.route("/login", methods=["POST"])
def login():
    resp = make_response("ok")
    # ruleid: python.cookie-missing-httponly
    resp.set_cookie("session_id", "abc123", secure=True)
    return resp


@app.route("/api-login", methods=["POST"])
def api_login():
    resp = make_response("ok")
    # ruleid: python.cookie-missing-httponly
    resp.set_cookie("auth_token", "jwt-value", secure=True, httponly=False, samesite="Strict")
    return resp


@app.route("/login/safe", methods=["POST"])
def login_safe():
    resp = make_response("ok")
    # ok: python.cookie-missing-httponly
    resp.set_cookie("session_id", "abc123", secure=True, httponly=True, samesite="Lax")
    return resp


@app.route("/theme", methods=["POST"])
def theme():
    resp = make_response("ok")
    # ok: python.cookie-missing-httponly
    resp.set_cookie("theme", "dark", secure=True)
    return resp


@app.route("/logout")
def logout():
    resp = make_response("bye")
    # ok: python.cookie-missing-httponly
    resp.set_cookie("session_id", "", max_age=0)
    return resp
