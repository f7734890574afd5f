import os
import pathlib
import shutil

from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_DIR = "/srv/uploads"
REPORTS = pathlib.Path("/srv/reports")


@app.route("/files/read")
def read_file():
    name = request.args.get("name", "")
    # ruleid: python.path-traversal-open
    with open(os.path.join(UPLOAD_DIR, name), "rb") as fh:
        return fh.read()


@app.route("/files/download/<path:name>")
def download(name):
    # ruleid: python.path-traversal-open
    return send_file(f"{UPLOAD_DIR}/{name}")


@app.route("/reports/view")
def view_report():
    report = request.cookies.get("last_report", "summary.txt")
    path = REPORTS / report
    # ruleid: python.path-traversal-open
    return {"text": path.read_text()}


@app.route("/files/delete", methods=["POST"])
def delete_file():
    target = request.form["file"]
    # ruleid: python.path-traversal-open
    os.remove(UPLOAD_DIR + "/" + target)
    return "", 204


@app.route("/files/archive", methods=["POST"])
def archive_file():
    name = request.get_json()["name"]
    # ruleid: python.path-traversal-open
    shutil.move(os.path.join(UPLOAD_DIR, name), "/srv/archive/")
    return "", 204


@app.route("/files/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    name = secure_filename(f.filename)
    # ok: python.path-traversal-open
    with open(os.path.join(UPLOAD_DIR, name), "wb") as out:
        out.write(f.read())
    return "", 201


@app.route("/files/get/<path:name>")
def get_file(name):
    # ok: python.path-traversal-open
    return send_from_directory(UPLOAD_DIR, name)


@app.route("/files/raw")
def raw_file():
    name = request.args.get("name", "")
    if ".." in name:
        abort(400)
    # ok: python.path-traversal-open
    with open(f"{UPLOAD_DIR}/{name}", "rb") as fh:
        return fh.read()


@app.route("/reports/safe")
def safe_report():
    report = request.args.get("report", "summary.txt")
    path = (REPORTS / report).resolve()
    if not str(path).startswith(str(REPORTS)):
        return "Invalid path", 400
    # ok: python.path-traversal-open
    return {"text": path.read_text()}


@app.route("/files/stat")
def stat_file():
    name = request.args.get("name", "")
    full = os.path.realpath(os.path.join(UPLOAD_DIR, name))
    if not full.startswith(UPLOAD_DIR + os.sep):
        raise PermissionError(name)
    # ok: python.path-traversal-open
    return {"exists": os.path.exists(full)}


@app.route("/avatars/<user_id>")
def avatar(user_id):
    # ok: python.path-traversal-open
    return send_file(os.path.join("/srv/avatars", os.path.basename(user_id) + ".png"))
