"""Django settings for the portal project."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY_FILE = os.environ.get("SECRET_KEY_FILE", "/run/secrets/django")

# ruleid: python.django-debug-enabled
DEBUG = True

ALLOWED_HOSTS = ["portal.example.com"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "portal",
]

ROOT_URLCONF = "portal.urls"


class FeatureFlags:
    # ok: python.django-debug-enabled
    DEBUG = False


def configure(env):
    # ok: python.django-debug-enabled
    debug = env.get("DJANGO_DEBUG", "0") == "1"
    return debug


# ok: python.django-debug-enabled
TEMPLATE_DEBUG = os.environ.get("TEMPLATE_DEBUG") == "1"
