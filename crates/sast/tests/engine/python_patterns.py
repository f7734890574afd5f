import os
import subprocess
import hashlib


def calls(cmd, a, b):
    # ruleid: py-call-any-args
    os.system(cmd)
    # ruleid: py-call-any-args
    os.system()
    # ok: py-call-any-args
    os.popen(cmd)
    # ok: py-call-any-args
    system(cmd)
    # ruleid: py-call-any-args
    os.system(  # comments inside are ignored
        cmd,
    )


def comparisons(a, b):
    # ruleid: py-same-metavariable
    if a == a:
        pass
    # ruleid: py-same-metavariable
    if a.b(1) == a.b( 1 ):
        pass
    # ok: py-same-metavariable
    if a == b:
        pass
    # ruleid: py-wildcard
    pair(a, b)
    # ok: py-wildcard
    pair(a)


def spawn(cmd):
    # ruleid: py-args-between
    subprocess.call(cmd, shell=True)
    # ruleid: py-args-between
    subprocess.call(cmd, cwd="/", shell=True, env={})
    # ok: py-args-between
    subprocess.call(cmd, shell=False)
    # ruleid: py-kwargs-any-order
    connect(verify=False, secure=False)
    # ruleid: py-kwargs-any-order
    connect(secure=False, verify=False)
    # ok: py-kwargs-any-order
    connect(secure=False)


def strings(x):
    # ruleid: py-any-string
    hashlib.md5("abc")
    # ruleid: py-any-string
    hashlib.md5('abc')
    # ok: py-any-string
    hashlib.md5(x)
    # ok: py-any-string
    hashlib.md5(f"a{x}")
    # ruleid: py-string-metavariable
    set_password("hunter2")
    # ok: py-string-metavariable
    set_password(x)
    # ruleid: py-string-value
    login('admin')
    # ruleid: py-string-value
    login("""admin""")
    # ok: py-string-value
    login("administrator")


def deep():
    # ruleid: py-deep
    eval(input())
    # ruleid: py-deep
    eval("x" + input().strip())
    # ok: py-deep
    eval(read())


def methods(conn, q):
    # ruleid: py-method-on-anything
    conn.cursor().execute(q)
    # ruleid: py-method-on-anything
    db.execute("select 1")
    # ok: py-method-on-anything
    execute(q)


def files(path):
    # ruleid: py-sequence
    fh = open(path)
    print("reading")
    if path:
        data = fh.read()
    return data


def reads(path):
    # ok: py-sequence
    fh = open(path)
    other.read()


# ruleid: py-function-def
def set_credentials(user, password):
    pass


# ruleid: py-function-def
def set_credentials_typed(user: str, password: str = "") -> None:
    pass


# ok: py-function-def
def set_user(user):
    pass


# ruleid: py-class
class Child(Base):
    x = 1


# ok: py-class
class Other(object):
    pass


def logs(a, b):
    # ruleid: py-ellipsis-metavariable
    log("debug", a, b)
    # ruleid: py-ellipsis-metavariable
    log("debug")
    # ok: py-ellipsis-metavariable
    log("info", a)
    # ruleid: py-fstring
    query(f"select * from t where id = {a}")
    # ok: py-fstring
    query("select * from t")


def returns():
    if True:
        # ruleid: py-return
        return None
    # ok: py-return
    return 1
