import os
import shlex

import tornado.web

from flask import Flask, request

app = Flask(__name__)


@app.route("/backup", methods=["POST"])
def backup():
    target = request.form["target"]
    # ruleid: python.command-injection-os
    os.system("tar czf /backups/site.tgz " + target)
    return "", 202


@app.route("/grep")
def grep():
    pattern = request.args.get("q", "")
    # ruleid: python.command-injection-os
    with os.popen(f"grep -r '{pattern}' /srv/docs") as pipe:
        return {"hits": pipe.read().splitlines()}


@app.route("/run/<tool>")
def run_tool(tool):
    # ruleid: python.command-injection-os
    os.execvp(tool, [tool, "--version"])


def restart(request):
    service = request.POST.get("service")
    # ruleid: python.command-injection-os
    os.spawnlp(os.P_WAIT, "systemctl", "systemctl", "restart", service)


class RestartHandler(tornado.web.RequestHandler):
    def post(self):
        unit = self.get_argument("unit")
        # ruleid: python.command-injection-os
        os.system("systemctl restart " + unit)


@app.route("/backup/quoted", methods=["POST"])
def backup_quoted():
    target = request.form["target"]
    # ok: python.command-injection-os
    os.system("tar czf /backups/site.tgz " + shlex.quote(target))
    return "", 202


@app.route("/rotate")
def rotate():
    keep = int(request.args.get("keep", "7"))
    # ok: python.command-injection-os
    os.system(f"logrotate --keep {keep} /etc/logrotate.conf")
    return "", 202


@app.route("/disk")
def disk():
    mount = request.args.get("mount", "/")
    # ok: python.command-injection-os
    with os.popen("df -h") as pipe:
        lines = [line for line in pipe.read().splitlines() if line.endswith(mount)]
    return {"lines": lines}
