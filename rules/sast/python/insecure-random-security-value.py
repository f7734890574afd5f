import random
import secrets
import string

from flask import Flask, make_response, session

app = Flask(__name__)
active_sessions = {}


@app.route("/remember", methods=["POST"])
def remember():
    value = str(random.getrandbits(64))
    resp = make_response("remembered")
    # ruleid: python.insecure-random-security-value
    resp.set_cookie("remember_me", value, secure=True, httponly=True)
    # ruleid: python.insecure-random-security-value
    session["remember_token"] = value
    return resp


def make_reset_code(user):
    # ruleid: python.insecure-random-security-value
    user.reset_token = "".join(random.choices(string.ascii_letters + string.digits, k=32))
    return user


def remember_me_cookie(resp):
    # ruleid: python.insecure-random-security-value
    resp.set_cookie("remember_me", str(random.random())[2:], secure=True, httponly=True)
    return resp


def new_api_key():
    # ruleid: python.insecure-random-security-value
    api_key = "%032x" % random.getrandbits(128)
    return api_key


def start_session(user_id):
    # ruleid: python.insecure-random-security-value
    sid = random.randint(0, 2**32)
    # ruleid: python.insecure-random-security-value
    active_sessions[sid] = user_id
    return sid


@app.route("/remember/safe", methods=["POST"])
def remember_safe():
    value = secrets.token_urlsafe(32)
    resp = make_response("remembered")
    # ok: python.insecure-random-security-value
    resp.set_cookie("remember_me", value, secure=True, httponly=True)
    # ok: python.insecure-random-security-value
    session["remember_token"] = str(random.SystemRandom().getrandbits(64))
    return resp


def pick_banner():
    # ok: python.insecure-random-security-value
    banner = random.choice(["spring", "summer", "autumn"])
    return banner


def pick_sample(words):
    # ok: python.insecure-random-security-value
    num_tokens = random.randint(1, len(words))
    return random.sample(words, num_tokens)


def backoff(attempt):
    # ok: python.insecure-random-security-value
    delay = min(30, 2 ** attempt) + random.uniform(0, 1)
    return delay


def sample_for_ab_test(user):
    # ok: python.insecure-random-security-value
    session["ab_bucket_seen"] = True
    return random.random() < 0.1
