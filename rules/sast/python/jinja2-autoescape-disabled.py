import jinja2
from flask import Flask
from jinja2 import Environment, FileSystemLoader, select_autoescape

app = Flask(__name__)

# ruleid: python.jinja2-autoescape-disabled
env = Environment(loader=FileSystemLoader("templates"))

# ruleid: python.jinja2-autoescape-disabled
email_env = jinja2.Environment(loader=jinja2.PackageLoader("portal"), autoescape=False)

# ruleid: python.jinja2-autoescape-disabled
app.jinja_env.autoescape = False

# ok: python.jinja2-autoescape-disabled
safe_env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape(["html", "xml"]))

# ok: python.jinja2-autoescape-disabled
strict_env = jinja2.Environment(loader=jinja2.PackageLoader("portal"), autoescape=True)

# ok: python.jinja2-autoescape-disabled
app.jinja_env.autoescape = True
