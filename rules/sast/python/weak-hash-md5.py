import base64
import hashlib
from hashlib import md5

from Crypto.Hash import MD5
from cryptography.hazmat.primitives import hashes


def store_password(password: str) -> str:
    # ruleid: python.weak-hash-md5
    return hashlib.md5(password.encode()).hexdigest()


def sign_payload(payload: bytes) -> bytes:
    # ruleid: python.weak-hash-md5
    h = hashlib.new("MD5")
    h.update(payload)
    return base64.b64encode(h.digest())


def token_digest(token: str) -> str:
    # ruleid: python.weak-hash-md5
    return md5(token.encode()).hexdigest()


def legacy_signature(data: bytes) -> bytes:
    # ruleid: python.weak-hash-md5
    return MD5.new(data).digest()


def fingerprint(der: bytes):
    # ruleid: python.weak-hash-md5
    digest = hashes.Hash(hashes.MD5())
    digest.update(der)
    return digest.finalize()


def cache_key(url: str) -> str:
    # ok: python.weak-hash-md5
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def store_password_sha256(password: str, salt: bytes) -> str:
    # ok: python.weak-hash-md5
    return hashlib.sha256(salt + password.encode()).hexdigest()


def sign_payload_sha384(payload: bytes) -> bytes:
    # ok: python.weak-hash-md5
    h = hashlib.new("sha384")
    h.update(payload)
    return h.digest()
