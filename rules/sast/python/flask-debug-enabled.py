import os

from flask import Flask
from werkzeug.debug import DebuggedApplication

app = Flask(__name__)
# ruleid: python.flask-debug-enabled
app.config["DEBUG"] = True
# ruleid: python.flask-debug-enabled
app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)


def main():
    # ruleid: python.flask-debug-enabled
    app.run(host="0.0.0.0", port=8080, debug=True)


# ok: python.flask-debug-enabled
app.config["DEBUG"] = os.environ.get("FLASK_DEBUG") == "1"


def main_env():
    # ok: python.flask-debug-enabled
    app.run(host="127.0.0.1", port=8080, debug=os.environ.get("FLASK_DEBUG") == "1")


def main_prod():
    # ok: python.flask-debug-enabled
    app.run(host="0.0.0.0", port=8080, debug=False)
