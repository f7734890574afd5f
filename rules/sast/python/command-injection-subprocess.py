import asyncio
import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/tools/ping")
def ping():
    host = request.args.get("host", "")
    # ruleid: python.command-injection-subprocess
    out = subprocess.check_output(f"ping -c 1 {host}", shell=True, text=True)
    return {"output": out}


@app.route("/tools/lookup", methods=["POST"])
def lookup():
    domain = request.form["domain"]
    argv = []
    argv.append("sh")
    argv.append("-c")
    argv.append("nslookup " + domain)
    # ruleid: python.command-injection-subprocess
    proc = subprocess.run(argv, capture_output=True, text=True)
    return {"output": proc.stdout}


@app.route("/repos/<name>/archive")
def archive(name):
    # ruleid: python.command-injection-subprocess
    subprocess.Popen(["tar", "czf", "/tmp/out.tgz", name], cwd="/srv/repos")
    return "", 202


async def convert(request):
    params = await request.json()
    # ruleid: python.command-injection-subprocess
    proc = await asyncio.create_subprocess_shell("convert " + params["file"] + " out.png")
    await proc.wait()


@app.route("/tools/dig")
def dig():
    host = request.args.get("host", "")
    # ok: python.command-injection-subprocess
    out = subprocess.check_output(f"dig +short {shlex.quote(host)}", shell=True, text=True)
    return {"output": out}


@app.route("/tools/uptime")
def uptime():
    verbose = request.args.get("verbose")
    argv = ["uptime"]
    if verbose:
        argv.append("-p")
    # ok: python.command-injection-subprocess
    proc = subprocess.run(argv, capture_output=True, text=True)
    return {"output": proc.stdout}


@app.route("/tools/tail")
def tail():
    lines = int(request.args.get("lines", "20"))
    # ok: python.command-injection-subprocess
    proc = subprocess.run(f"tail -n {lines} /var/log/app.log", shell=True, capture_output=True, text=True)
    return {"output": proc.stdout}


@app.route("/tools/version")
def version():
    component = request.args.get("component")
    # ok: python.command-injection-subprocess
    proc = subprocess.run(["git", "describe", "--tags"], capture_output=True, text=True, env={"COMPONENT": "x"})
    return {"component": component, "version": proc.stdout}
