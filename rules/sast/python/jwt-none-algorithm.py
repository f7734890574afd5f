import os

import jwt

SECRET = os.environ["JWT_SECRET"]


def issue_debug_token(user_id):
    # ruleid: python.jwt-none-algorithm
    return jwt.encode({"sub": user_id}, None, algorithm="none")


def read_token(token):
    # ruleid: python.jwt-none-algorithm
    return jwt.decode(token, SECRET, algorithms=["HS256", "none"])


def read_any(token):
    # ruleid: python.jwt-none-algorithm
    return jwt.decode(token, SECRET, algorithms=["None"])


def issue_token(user_id):
    # ok: python.jwt-none-algorithm
    return jwt.encode({"sub": user_id}, SECRET, algorithm="HS256")


def read_token_ok(token):
    # ok: python.jwt-none-algorithm
    return jwt.decode(token, SECRET, algorithms=["HS256"])


def read_rs(token, key):
    # ok: python.jwt-none-algorithm
    return jwt.decode(token, key, algorithms=["RS256", "ES256"])
