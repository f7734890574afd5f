import socket
import ssl

from OpenSSL import SSL


def legacy_client(host):
    # ruleid: python.ssl-weak-protocol
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    return ctx.wrap_socket(socket.create_connection((host, 443)), server_hostname=host)


def pyopenssl_context():
    # ruleid: python.ssl-weak-protocol
    return SSL.Context(SSL.TLSv1_1_METHOD)


def relaxed_client():
    ctx = ssl.create_default_context()
    # ruleid: python.ssl-weak-protocol
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    return ctx


def modern_client(host):
    # ok: python.ssl-weak-protocol
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_default_certs()
    return ctx.wrap_socket(socket.create_connection((host, 443)), server_hostname=host)


def strict_client():
    ctx = ssl.create_default_context()
    # ok: python.ssl-weak-protocol
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def pyopenssl_modern():
    # ok: python.ssl-weak-protocol
    return SSL.Context(SSL.TLS_CLIENT_METHOD)
