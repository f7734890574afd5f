import smtplib
import socket
import ssl
import urllib.request


def fetch(url):
    # ruleid: python.ssl-unverified-context
    ctx = ssl._create_unverified_context()
    return urllib.request.urlopen(url, context=ctx).read()


def connect_ldap(host):
    ctx = ssl.create_default_context()
    # ruleid: python.ssl-unverified-context
    ctx.check_hostname = False
    # ruleid: python.ssl-unverified-context
    ctx.verify_mode = ssl.CERT_NONE
    return ctx.wrap_socket(socket.create_connection((host, 636)), server_hostname=host)


# ruleid: python.ssl-unverified-context
ssl._create_default_https_context = ssl._create_unverified_context


def fetch_ok(url):
    # ok: python.ssl-unverified-context
    ctx = ssl.create_default_context()
    return urllib.request.urlopen(url, context=ctx).read()


def connect_ldap_ok(host):
    ctx = ssl.create_default_context(cafile="/etc/ssl/certs/corp-ca.pem")
    # ok: python.ssl-unverified-context
    ctx.check_hostname = True
    # ok: python.ssl-unverified-context
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx.wrap_socket(socket.create_connection((host, 636)), server_hostname=host)


def send_mail(host, msg):
    with smtplib.SMTP(host, 587) as smtp:
        # ok: python.ssl-unverified-context
        smtp.starttls(context=ssl.create_default_context())
        smtp.send_message(msg)
