import ldap
import ldap.filter
import ldap3
from flask import Flask, request
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)
BASE_DN = "ou=people,dc=example,dc=com"


def connect():
    server = ldap3.Server("ldaps://ldap.example.com")
    return ldap3.Connection(server, auto_bind=True)


@app.route("/directory/user")
def find_user():
    uid = request.args.get("uid", "")
    conn = connect()
    # ruleid: python.ldap-injection
    conn.search(BASE_DN, f"(&(objectClass=person)(uid={uid}))", attributes=["cn", "mail"])
    return {"entries": [e.entry_to_json() for e in conn.entries]}


@app.route("/directory/group", methods=["POST"])
def find_group():
    name = request.form["group"]
    query = "(&(objectClass=groupOfNames)(cn=" + name + "))"
    conn = connect()
    # ruleid: python.ldap-injection
    conn.search(search_base=BASE_DN, search_filter=query, attributes=["member"])
    return {"entries": [e.entry_to_json() for e in conn.entries]}


@app.route("/legacy/mail/<mail>")
def legacy_mail(mail):
    l = ldap.initialize("ldap://ldap.example.com")
    # ruleid: python.ldap-injection
    result = l.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(mail=%s)" % mail, ["uid"])
    return {"uids": [dn for dn, _ in result]}


@app.route("/directory/user/safe")
def find_user_safe():
    uid = request.args.get("uid", "")
    conn = connect()
    # ok: python.ldap-injection
    conn.search(BASE_DN, f"(&(objectClass=person)(uid={escape_filter_chars(uid)}))", attributes=["cn"])
    return {"entries": [e.entry_to_json() for e in conn.entries]}


@app.route("/legacy/mail-safe/<mail>")
def legacy_mail_safe(mail):
    l = ldap.initialize("ldap://ldap.example.com")
    # ok: python.ldap-injection
    result = l.search_s(BASE_DN, ldap.SCOPE_SUBTREE, ldap.filter.filter_format("(mail=%s)", [mail]), ["uid"])
    return {"uids": [dn for dn, _ in result]}


@app.route("/directory/people")
def people():
    dept = request.args.get("dept", "")
    conn = connect()
    # ok: python.ldap-injection
    conn.search(BASE_DN + "", "(objectClass=person)", attributes=["cn", "departmentNumber"])
    return {"entries": [e.entry_to_json() for e in conn.entries if dept in str(e.departmentNumber)]}
