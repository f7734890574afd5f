import urllib.parse

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    next_url = request.args.get("next", "/")
    # ruleid: python.open-redirect
    return redirect(next_url)


@app.route("/out")
def outbound():
    target = request.args["to"]
    # ruleid: python.open-redirect
    resp = redirect("https://" + target + "/landing")
    return resp


def django_logout(request):
    # ruleid: python.open-redirect
    return HttpResponseRedirect(request.GET.get("next", "/"))


@app.route("/go/<page>")
def go(page):
    # ok: python.open-redirect
    return redirect(url_for("pages.show", name=page))


@app.route("/continue")
def continue_to():
    target = request.args.get("next", "/")
    parsed = urllib.parse.urlparse(target)
    if parsed.netloc not in ("example.com", "www.example.com"):
        return redirect("/")
    # ok: python.open-redirect
    return redirect(target)


def django_login_done(request):
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect("/")
    # ok: python.open-redirect
    return HttpResponseRedirect(next_url)


def django_next(request):
    next_url = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=True):
        # ok: python.open-redirect
        return HttpResponseRedirect(next_url)
    return HttpResponseRedirect("/")
