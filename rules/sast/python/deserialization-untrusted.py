import base64
import json
import pickle

import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/cart/restore")
def restore_cart():
    blob = request.cookies.get("cart", "")
    # ruleid: python.deserialization-untrusted
    cart = pickle.loads(base64.urlsafe_b64decode(blob))
    return {"items": len(cart)}


@app.route("/config/import", methods=["POST"])
def import_config():
    raw = request.get_data()
    # ruleid: python.deserialization-untrusted
    cfg = yaml.load(raw, Loader=yaml.Loader)
    return {"keys": sorted(cfg)}


@app.route("/config/full", methods=["POST"])
def import_full():
    # ruleid: python.deserialization-untrusted
    cfg = yaml.full_load(request.files["config"].read())
    return {"keys": sorted(cfg)}


@app.route("/model/upload", methods=["POST"])
def upload_model():
    upload = request.files["model"]
    # ruleid: python.deserialization-untrusted
    model = pickle.load(upload.stream)
    return {"type": type(model).__name__}


@app.route("/config/safe", methods=["POST"])
def import_config_safe():
    raw = request.get_data()
    # ok: python.deserialization-untrusted
    cfg = yaml.safe_load(raw)
    # ok: python.deserialization-untrusted
    same = yaml.load(raw, Loader=yaml.SafeLoader)
    return {"keys": sorted(cfg), "same": cfg == same}


@app.route("/cart/json")
def restore_cart_json():
    blob = request.cookies.get("cart", "[]")
    # ok: python.deserialization-untrusted
    cart = json.loads(base64.urlsafe_b64decode(blob))
    return {"items": len(cart)}


@app.route("/defaults")
def defaults():
    name = request.args.get("name")
    with open("/srv/app/defaults.pickle", "rb") as fh:
        # ok: python.deserialization-untrusted
        data = pickle.load(fh)
    return {"value": data.get(name)}
