import os

from Crypto.Cipher import AES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_ssn(key: bytes, data: bytes) -> bytes:
    # ruleid: python.cipher-ecb-mode
    return AES.new(key, AES.MODE_ECB).encrypt(data)


def encrypt_token(key: bytes, data: bytes) -> bytes:
    # ruleid: python.cipher-ecb-mode
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(data) + enc.finalize()


def decrypt_token(key: bytes, data: bytes) -> bytes:
    # ruleid: python.cipher-ecb-mode
    return AES.new(key, mode=AES.MODE_ECB).decrypt(data)


def encrypt_ssn_gcm(key: bytes, data: bytes) -> bytes:
    # ok: python.cipher-ecb-mode
    cipher = AES.new(key, AES.MODE_GCM)
    ct, tag = cipher.encrypt_and_digest(data)
    return cipher.nonce + tag + ct


def encrypt_token_cbc(key: bytes, data: bytes) -> bytes:
    iv = os.urandom(16)
    # ok: python.cipher-ecb-mode
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + enc.update(data) + enc.finalize()


def encrypt_ctr(key: bytes, data: bytes) -> bytes:
    # ok: python.cipher-ecb-mode
    cipher = AES.new(key, AES.MODE_CTR)
    return cipher.nonce + cipher.encrypt(data)
