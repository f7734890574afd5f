import os

from flask import Flask

app = Flask(__name__)
# ruleid: python.hardcoded-secret-key-config
app.secret_key = "dev-secret-do-not-use"
# ruleid: python.hardcoded-secret-key-config
app.config["SECRET_KEY"] = "a1b2c3d4e5f6"
# ruleid: python.hardcoded-secret-key-config
app.config.update(SECRET_KEY="another-literal", SESSION_COOKIE_SECURE=True)

# Django settings
# ruleid: python.hardcoded-secret-key-config
SECRET_KEY = "django-insecure-+x9#k2l!q8w3e4r5t6y7u8i9o0p"

# ok: python.hardcoded-secret-key-config
app.secret_key = os.environ["FLASK_SECRET_KEY"]
# ok: python.hardcoded-secret-key-config
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "")
# ok: python.hardcoded-secret-key-config
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
