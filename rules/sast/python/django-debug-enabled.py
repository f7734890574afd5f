"""Django settings for the portal project."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

ALLOWED_HOSTS = ["portal.example.com"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "portal",
]

ROOT_URLCONF = "portal.urls"

# ruleid: python.django-debug-enabled
DEBUG = True

if os.environ.get("PORTAL_ENV") == "staging":
    # ruleid: python.django-debug-enabled
    DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
else:
    # ruleid: python.django-debug-enabled
    DEBUG = os.getenv("DJANGO_DEBUG", True)

# ok: python.django-debug-enabled
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"

# ok: python.django-debug-enabled
TEMPLATE_DEBUG = os.environ.get("TEMPLATE_DEBUG") == "1"


class FeatureFlags:
    # ok: python.django-debug-enabled
    DEBUG = False


def configure(env):
    # ok: python.django-debug-enabled
    debug = env.get("DJANGO_DEBUG", "0") == "1"
    return debug
