import hashlib
import os

from flask import Flask, request

app = Flask(__name__)


def store_user(username, password):
    # ruleid: python.password-hash-fast
    digest = hashlib.sha256(password.encode()).hexdigest()
    return {"user": username, "hash": digest}


@app.route("/register", methods=["POST"])
def register():
    salt = os.urandom(16)
    # ruleid: python.password-hash-fast
    digest = hashlib.sha512(salt + request.form["password"].encode()).hexdigest()
    return {"hash": digest}


def derive(user_password: bytes, salt: bytes) -> bytes:
    # ruleid: python.password-hash-fast
    return hashlib.pbkdf2_hmac("sha256", user_password, salt, 1000)


def store_user_ok(username, password):
    salt = os.urandom(16)
    # ok: python.password-hash-fast
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    return {"user": username, "salt": salt.hex(), "hash": digest.hex()}


def file_checksum(data: bytes) -> str:
    # ok: python.password-hash-fast
    return hashlib.sha256(data).hexdigest()


def token_digest(reset_token: str) -> str:
    # ok: python.password-hash-fast
    return hashlib.sha256(reset_token.encode()).hexdigest()
