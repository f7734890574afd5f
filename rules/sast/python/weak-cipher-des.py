import os

import pyDes
from Crypto.Cipher import AES, DES, DES3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_card(key: bytes, data: bytes) -> bytes:
    # ruleid: python.weak-cipher-des
    cipher = DES.new(key, DES.MODE_CBC, os.urandom(8))
    return cipher.encrypt(data)


def encrypt_legacy(key: bytes, data: bytes) -> bytes:
    # ruleid: python.weak-cipher-des
    cipher = DES3.new(key, DES3.MODE_CBC, os.urandom(8))
    return cipher.encrypt(data)


def encrypt_batch(key: bytes, iv: bytes, data: bytes) -> bytes:
    # ruleid: python.weak-cipher-des
    enc = Cipher(algorithms.TripleDES(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def encrypt_pydes(key: bytes, data: bytes) -> bytes:
    # ruleid: python.weak-cipher-des
    return pyDes.triple_des(key, pyDes.CBC, b"\0" * 8, pad=None).encrypt(data)


def encrypt_card_aes(key: bytes, data: bytes) -> bytes:
    # ok: python.weak-cipher-des
    cipher = AES.new(key, AES.MODE_GCM)
    return cipher.nonce + cipher.encrypt(data)


def encrypt_batch_aes(key: bytes, iv: bytes, data: bytes) -> bytes:
    # ok: python.weak-cipher-des
    enc = Cipher(algorithms.AES(key), modes.GCM(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def describe(alg: str) -> str:
    # ok: python.weak-cipher-des
    return {"DES": "retired", "AES": "current"}.get(alg, "unknown")
