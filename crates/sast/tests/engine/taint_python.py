import os
import shlex
import flask
from flask import request


def direct():
    # ruleid: py-taint-flask
    os.system(request.args.get("cmd"))


def through_variables():
    cmd = request.args.get("cmd")
    full = "ls " + cmd
    # ruleid: py-taint-flask
    os.system(full)


def through_formatting(cur):
    name = request.form["name"]
    q1 = f"select * from users where name = '{name}'"
    q2 = "select * from users where name = '%s'" % name
    q3 = "select * from users where name = '{}'".format(name)
    # ruleid: py-taint-flask
    cur.execute(q1)
    # ruleid: py-taint-flask
    cur.execute(q2)
    # ruleid: py-taint-flask
    cur.execute(q3)


def sanitized(cur):
    n = int(request.args.get("n"))
    # ok: py-taint-flask
    cur.execute("select %d" % n)
    arg = shlex.quote(request.args.get("a"))
    # ok: py-taint-flask
    os.system("ls " + arg)


def reassigned():
    cmd = request.args.get("cmd")
    cmd = "ls"
    # ok: py-taint-flask
    os.system(cmd)


def branches(flag):
    cmd = "ls"
    if flag:
        cmd = request.args.get("cmd")
    # ruleid: py-taint-flask
    os.system(cmd)


def loops():
    parts = []
    for p in request.args.get("parts").split(","):
        parts.append(p)
    # ruleid: py-taint-flask
    os.system(" ".join(parts))


def collections_and_unpacking():
    a, b = request.args.get("a"), "x"
    # ruleid: py-taint-flask
    os.system(a)
    d = {"k": request.args.get("k")}
    # ruleid: py-taint-flask
    os.system(d["k"])


def augmented_and_walrus():
    s = "ls "
    s += request.args.get("dir")
    # ruleid: py-taint-flask
    os.system(s)
    if (v := request.args.get("v")):
        # ruleid: py-taint-flask
        os.system(v)


def attributes(self):
    self.cmd = request.args.get("cmd")
    # ruleid: py-taint-flask
    os.system(self.cmd)
    # ok: py-taint-flask
    os.system(self.other)


def not_the_sink_argument(cur):
    q = request.args.get("q")
    # ok: py-taint-flask
    cur.execute("select 1", q)


def no_flow_between_functions():
    # ok: py-taint-flask
    os.system(cmd)


def lambdas():
    cmd = request.args.get("cmd")
    # ruleid: py-taint-flask
    run = lambda: os.system(cmd)


@app.route("/x")
def view(user, page):
    # ruleid: py-taint-param
    eval(page)


def not_a_view(page):
    # ok: py-taint-param
    eval(page)


def side_effects():
    buf = []
    read_into(buf)
    # ruleid: py-taint-side-effect
    write(buf)
    other = []
    read_into(other)
    validate(other)
    # ok: py-taint-side-effect
    write(other)
