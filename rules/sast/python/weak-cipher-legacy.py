import os

from Crypto.Cipher import AES, ARC4, Blowfish
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305


def stream_encrypt(key: bytes, data: bytes) -> bytes:
    # ruleid: python.weak-cipher-legacy
    return ARC4.new(key).encrypt(data)


def encrypt_record(key: bytes, data: bytes) -> bytes:
    # ruleid: python.weak-cipher-legacy
    cipher = Blowfish.new(key, Blowfish.MODE_CBC, os.urandom(8))
    return cipher.iv + cipher.encrypt(data)


def encrypt_blob(key: bytes, iv: bytes, data: bytes) -> bytes:
    # ruleid: python.weak-cipher-legacy
    enc = Cipher(algorithms.CAST5(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def encrypt_rc4(key: bytes, data: bytes) -> bytes:
    # ruleid: python.weak-cipher-legacy
    enc = Cipher(algorithms.ARC4(key), mode=None).encryptor()
    return enc.update(data)


def stream_encrypt_modern(key: bytes, data: bytes) -> bytes:
    nonce = os.urandom(12)
    # ok: python.weak-cipher-legacy
    return nonce + ChaCha20Poly1305(key).encrypt(nonce, data, None)


def encrypt_record_aes(key: bytes, data: bytes) -> bytes:
    # ok: python.weak-cipher-legacy
    cipher = AES.new(key, AES.MODE_GCM)
    return cipher.nonce + cipher.encrypt(data)


def encrypt_blob_aes(key: bytes, iv: bytes, data: bytes) -> bytes:
    # ok: python.weak-cipher-legacy
    enc = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    return enc.update(data) + enc.finalize()
