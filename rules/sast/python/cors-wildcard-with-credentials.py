from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask, make_response, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
# ruleid: python.cors-wildcard-with-credentials
CORS(app, supports_credentials=True)

api = FastAPI()
# ruleid: python.cors-wildcard-with-credentials
api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"])


@app.route("/api/me")
# ruleid: python.cors-wildcard-with-credentials
@cross_origin(origins="*", supports_credentials=True)
def me():
    return {"user": "demo"}


@app.route("/api/profile")
def profile():
    resp = make_response({"user": "demo"})
    # ruleid: python.cors-wildcard-with-credentials
    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "")
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    return resp


# django-cors-headers
# ruleid: python.cors-wildcard-with-credentials
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = True

public = Flask("public")
# ok: python.cors-wildcard-with-credentials
CORS(public)

partner = Flask("partner")
# ok: python.cors-wildcard-with-credentials
CORS(partner, origins=["https://portal.example.com"], supports_credentials=True)

# ok: python.cors-wildcard-with-credentials
api.add_middleware(CORSMiddleware, allow_origins=["https://portal.example.com"], allow_credentials=True)


@app.route("/api/public")
def public_data():
    resp = make_response({"status": "ok"})
    # ok: python.cors-wildcard-with-credentials
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
