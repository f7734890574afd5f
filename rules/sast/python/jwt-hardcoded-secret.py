import os

import jwt
from flask import Flask

app = Flask(__name__)
# ruleid: python.jwt-hardcoded-secret
app.config["JWT_SECRET_KEY"] = "super-secret-jwt-key"


def issue_token(user_id):
    # ruleid: python.jwt-hardcoded-secret
    return jwt.encode({"sub": user_id}, "changeme-please", algorithm="HS256")


def read_token(token):
    # ruleid: python.jwt-hardcoded-secret
    return jwt.decode(token, key="changeme-please", algorithms=["HS256"])


def issue_token_env(user_id):
    # ok: python.jwt-hardcoded-secret
    return jwt.encode({"sub": user_id}, os.environ["JWT_SECRET"], algorithm="HS256")


def read_token_pem(token):
    # ok: python.jwt-hardcoded-secret
    return jwt.decode(token, "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----", algorithms=["ES256"])


# ok: python.jwt-hardcoded-secret
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
