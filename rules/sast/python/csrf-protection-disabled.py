import os

from flask import Flask
from flask_wtf import FlaskForm
from wtforms import StringField

app = Flask(__name__)
# ruleid: python.csrf-protection-disabled
app.config["WTF_CSRF_ENABLED"] = False


class TransferForm(FlaskForm):
    amount = StringField("amount")

    class Meta:
        # ruleid: python.csrf-protection-disabled
        csrf = False


# Django settings
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "portal"]
# ruleid: python.csrf-protection-disabled
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

# ok: python.csrf-protection-disabled
app.config["WTF_CSRF_ENABLED"] = os.environ.get("TESTING") != "1"
# ok: python.csrf-protection-disabled
app.config["WTF_CSRF_TIME_LIMIT"] = 3600


class SearchForm(FlaskForm):
    q = StringField("q")

    class Meta:
        # ok: python.csrf-protection-disabled
        csrf_time_limit = 600


# ok: python.csrf-protection-disabled
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
