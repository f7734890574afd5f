import os

from flask import Flask

app = Flask(__name__)

# ruleid: python.session-cookie-insecure-config
app.config["SESSION_COOKIE_SECURE"] = False
# ruleid: python.session-cookie-insecure-config
app.config.update(SESSION_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=False)

# Django settings
# ruleid: python.session-cookie-insecure-config
SESSION_COOKIE_SECURE = False
# ruleid: python.session-cookie-insecure-config
CSRF_COOKIE_SECURE = False

# ok: python.session-cookie-insecure-config
SESSION_COOKIE_SAMESITE = "Lax"
# ok: python.session-cookie-insecure-config
app.config["SESSION_COOKIE_SECURE"] = os.environ.get("COOKIE_SECURE", "1") == "1"
# ok: python.session-cookie-insecure-config
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True)
