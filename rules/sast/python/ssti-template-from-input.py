import string

import jinja2
from flask import Flask, render_template, render_template_string, request

app = Flask(__name__)
env = jinja2.Environment(autoescape=True)

PAGE = "<h1>Hello {{ name }}</h1>"


@app.route("/hello")
def hello():
    name = request.args.get("name", "guest")
    # ruleid: python.ssti-template-from-input
    return render_template_string("<h1>Hello " + name + "</h1>")


@app.route("/preview", methods=["POST"])
def preview():
    body = request.form["template"]
    # ruleid: python.ssti-template-from-input
    return env.from_string(body).render(user="demo")


@app.route("/email/<subject>")
def email(subject):
    # ruleid: python.ssti-template-from-input
    tpl = jinja2.Template(f"Subject: {subject}\n\nHi {{{{ user }}}}")
    return tpl.render(user="demo")


@app.route("/hello/safe")
def hello_safe():
    name = request.args.get("name", "guest")
    # ok: python.ssti-template-from-input
    return render_template_string(PAGE, name=name)


@app.route("/page")
def page():
    name = request.args.get("name", "guest")
    # ok: python.ssti-template-from-input
    return render_template("page.html", name=name)


@app.route("/greeting")
def greeting():
    name = request.args.get("name", "guest")
    # ok: python.ssti-template-from-input
    return string.Template("Hello $name").substitute(name=name)
