import json
import pickle
import subprocess

import requests
import yaml


def load(data):
    # ruleid: py-either
    pickle.loads(data)
    # ruleid: py-either
    yaml.load(data)
    # ok: py-either
    yaml.safe_load(data)


def handler(body):
    # ruleid: py-inside-not-inside
    value = json.loads(body)
    try:
        # ok: py-inside-not-inside
        other = json.loads(body)
    except ValueError:
        pass
    return value, other


# ok: py-inside-not-inside
TOP = json.loads("{}")


def fetch(url):
    # ruleid: py-not
    requests.get(url)
    # ok: py-not
    requests.get(url, timeout=5)
    # ok: py-not
    requests.get(url, headers={}, timeout=5, verify=True)


# ruleid: py-not-regex
# TODO remove this
# ok: py-not-regex
# TODO(GH-12) remove this too


def hashes(data):
    # ruleid: py-metavariable-regex
    hashlib.md5(data)
    # ruleid: py-metavariable-regex
    hashlib.sha1(data)
    # ok: py-metavariable-regex
    hashlib.sha256(data)
    # ok: py-metavariable-regex
    hashlib.md5_like(data)


def shells(name):
    # ruleid: py-metavariable-pattern
    subprocess.run("ls " + name, shell=True)
    # ruleid: py-metavariable-pattern
    subprocess.run(f"ls {name}", shell=True)
    # ok: py-metavariable-pattern
    subprocess.run(["ls", name])


def scripts():
    # ruleid: py-metavariable-pattern-language
    run_js("var x = 1; eval(x);")
    # ok: py-metavariable-pattern-language
    run_js("console.log(1)")


def servers():
    # ruleid: py-metavariable-comparison
    listen(80)
    # ok: py-metavariable-comparison
    listen(8080)
    # ok: py-metavariable-comparison
    listen(0)


def connections(host):
    # ruleid: py-focus
    connect(host, "secret")


# ruleid: py-regex-captures
config["retries"] = 3
# ok: py-regex-captures
config["name"] = "x"


def frees(a, b):
    release(a)
    if a:
        # ruleid: py-unify-across-patterns
        use(a)
    # ok: py-unify-across-patterns
    use(b)
