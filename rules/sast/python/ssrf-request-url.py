import urllib.parse
import urllib.request

import httpx
import requests
from flask import Flask, abort, request

app = Flask(__name__)
ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}


@app.route("/fetch")
def fetch():
    url = request.args.get("url", "")
    # ruleid: python.ssrf-request-url
    resp = requests.get(url, timeout=5)
    return resp.content


@app.route("/webhook/test", methods=["POST"])
def webhook_test():
    target = request.get_json()["callback"]
    # ruleid: python.ssrf-request-url
    with urllib.request.urlopen(target, timeout=5) as r:
        return {"status": r.status}


@app.route("/preview/<path:link>")
async def preview(link):
    async with httpx.AsyncClient() as client:
        # ruleid: python.ssrf-request-url
        r = await client.get("http://" + link)
        return {"status": r.status_code}


@app.route("/proxy", methods=["POST"])
def proxy():
    host = request.form["host"]
    session = requests.Session()
    # ruleid: python.ssrf-request-url
    r = session.request("GET", f"{host}/status")
    return r.text


@app.route("/avatar")
def avatar():
    user = request.args.get("user", "")
    # ok: python.ssrf-request-url
    r = requests.get(f"https://avatars.example.com/u/{urllib.parse.quote(user)}.png", timeout=5)
    return r.content


@app.route("/image")
def image():
    url = request.args.get("url", "")
    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in ALLOWED_HOSTS or parsed.scheme != "https":
        abort(400)
    # ok: python.ssrf-request-url
    return requests.get(url, timeout=5).content


@app.route("/weather")
def weather():
    city = request.args.get("city", "")
    # ok: python.ssrf-request-url
    r = httpx.get("https://api.weather.example.com/v1/current", params={"q": city})
    return r.json()


@app.route("/repo/<name>")
def repo(name):
    # ok: python.ssrf-request-url
    r = requests.get("https://api.github.com/repos/example/" + name, timeout=5)
    return r.json()
