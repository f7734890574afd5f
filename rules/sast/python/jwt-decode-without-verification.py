import os

import jwt
from flask import Flask, request

app = Flask(__name__)
PUBLIC_KEY = open("/etc/auth/jwt.pub").read()


@app.route("/me")
def me():
    token = request.headers["Authorization"].removeprefix("Bearer ")
    # ruleid: python.jwt-decode-without-verification
    claims = jwt.decode(token, options={"verify_signature": False})
    return {"user": claims["sub"]}


@app.route("/legacy/me")
def legacy_me():
    token = request.cookies.get("token", "")
    # ruleid: python.jwt-decode-without-verification
    claims = jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"], options={"verify_exp": False})
    return {"user": claims["sub"]}


def read_claims(token):
    opts = {"verify_signature": False, "verify_aud": False}
    # ruleid: python.jwt-decode-without-verification
    return jwt.decode(token, algorithms=["HS256"], options=opts)


@app.route("/me/verified")
def me_verified():
    token = request.headers["Authorization"].removeprefix("Bearer ")
    # ok: python.jwt-decode-without-verification
    claims = jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"], audience="portal")
    return {"user": claims["sub"]}


def key_id(token):
    # ok: python.jwt-decode-without-verification
    return jwt.get_unverified_header(token)["kid"]


def read_claims_verified(token):
    opts = {"require": ["exp", "sub"]}
    # ok: python.jwt-decode-without-verification
    return jwt.decode(token, os.environ["JWT_SECRET"], algorithms=["HS256"], options=opts)
