import html

import lxml.etree
import markupsafe
from flask import Flask, Response, jsonify, make_response, render_template, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "guest")
    # ruleid: python.flask-xss-response
    return f"<h1>Hello {name}</h1>"


@app.route("/search")
def search():
    q = request.args.get("q", "")
    page = "<html><body>"
    page += "<p>Results for " + q + "</p>"
    page += "</body></html>"
    # ruleid: python.flask-xss-response
    return page


@app.route("/profile/<username>")
def profile(username):
    # ruleid: python.flask-xss-response
    resp = make_response("<div class='user'>%s</div>" % username)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@app.route("/banner", methods=["POST"])
def banner():
    text = request.form["text"]
    # ruleid: python.flask-xss-response
    return render_template("banner.html", banner=markupsafe.Markup(text))


@app.route("/feedback", methods=["POST"])
def feedback():
    comment = request.form.get("comment", "")
    # ruleid: python.flask-xss-response
    return Response("<p>Thanks for: " + comment + "</p>", status=201)


@app.route("/hello/safe")
def hello_safe():
    name = request.args.get("name", "guest")
    # ok: python.flask-xss-response
    return f"<h1>Hello {markupsafe.escape(name)}</h1>"


@app.route("/search/safe")
def search_safe():
    q = request.args.get("q", "")
    # ok: python.flask-xss-response
    return render_template("search.html", q=q)


@app.route("/api/echo")
def echo():
    q = request.args.get("q", "")
    # ok: python.flask-xss-response
    return jsonify(query=q)


@app.route("/api/echo-dict")
def echo_dict():
    q = request.args.get("q", "")
    # ok: python.flask-xss-response
    return {"query": q}, 200


@app.route("/download")
def download_header():
    name = request.args.get("name", "report")
    body = "report body"
    # ok: python.flask-xss-response
    resp = make_response((body, {"X-Report-Name": name}))
    # ok: python.flask-xss-response
    return resp


@app.route("/plain")
def plain():
    note = request.args.get("note", "")
    # ok: python.flask-xss-response
    return Response(note, mimetype="text/plain")


@app.route("/comment")
def comment():
    text = request.args.get("text", "")
    # ok: python.flask-xss-response
    return "<p>" + html.escape(text) + "</p>"


@app.route("/employees")
def employees():
    emp_id = request.args.get("id", "")
    root = lxml.etree.parse("/srv/data/employees.xml")
    names = root.xpath("//employee[@id=$id]/name/text()", id=emp_id)
    page = "<ul>"
    for n in names:
        page += "<li>" + str(n) + "</li>"
    # ok: python.flask-xss-response
    return page + "</ul>"
