import os
import secrets

from Crypto.Cipher import AES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt_profile(key: bytes, data: bytes) -> bytes:
    # ruleid: python.cipher-static-iv
    return AES.new(key, AES.MODE_CBC, b"0123456789abcdef").encrypt(data)


def encrypt_file(key: bytes, data: bytes) -> bytes:
    # todoruleid: python.cipher-static-iv
    enc = Cipher(algorithms.AES(key), modes.CBC(b"\x00" * 16)).encryptor()
    return enc.update(data) + enc.finalize()


def seal(key: bytes, data: bytes) -> bytes:
    aead = AESGCM(key)
    # ruleid: python.cipher-static-iv
    return aead.encrypt(b"fixed-nonce!", data, None)


def encrypt_stream(key: bytes, data: bytes) -> bytes:
    # ruleid: python.cipher-static-iv
    return AES.new(key, AES.MODE_CTR, nonce=bytes(8)).encrypt(data)


def encrypt_profile_random(key: bytes, data: bytes) -> bytes:
    iv = os.urandom(16)
    # ok: python.cipher-static-iv
    return iv + AES.new(key, AES.MODE_CBC, iv).encrypt(data)


def encrypt_file_random(key: bytes, data: bytes) -> bytes:
    iv = secrets.token_bytes(16)
    # ok: python.cipher-static-iv
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + enc.update(data) + enc.finalize()


def seal_random(key: bytes, data: bytes) -> bytes:
    nonce = os.urandom(12)
    # ok: python.cipher-static-iv
    return nonce + AESGCM(key).encrypt(nonce, data, b"header")
