import hashlib
from hashlib import sha1

from Crypto.Hash import SHA1
from cryptography.hazmat.primitives import hashes


def hash_api_key(key: str) -> str:
    # ruleid: python.weak-hash-sha1
    return hashlib.sha1(key.encode()).hexdigest()


def hash_input(data: bytes) -> bytes:
    # ruleid: python.weak-hash-sha1
    h = hashlib.new("sha1")
    h.update(data)
    return h.digest()


def reset_token_digest(token: str) -> str:
    # ruleid: python.weak-hash-sha1
    return sha1(token.encode()).hexdigest()


def sign(data: bytes) -> bytes:
    # ruleid: python.weak-hash-sha1
    return SHA1.new(data).digest()


def cert_digest(der: bytes):
    # ruleid: python.weak-hash-sha1
    digest = hashes.Hash(hashes.SHA1())
    digest.update(der)
    return digest.finalize()


def git_blob_id(content: bytes) -> str:
    # ok: python.weak-hash-sha1
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def hash_api_key_sha512(key: str) -> str:
    # ok: python.weak-hash-sha1
    return hashlib.sha512(key.encode()).hexdigest()


def hash_input_sha384(data: bytes) -> bytes:
    # ok: python.weak-hash-sha1
    h = hashlib.new("sha384")
    h.update(data)
    return h.digest()
