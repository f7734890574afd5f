import hashlib
import hmac
import os

from Crypto.Cipher import AES
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FERNET_KEY = os.environ["FERNET_KEY"]


def encrypt_note(data: bytes) -> bytes:
    # ruleid: python.hardcoded-crypto-key
    cipher = AES.new(b"Sixteen byte key", AES.MODE_GCM)
    return cipher.nonce + cipher.encrypt(data)


def token_box():
    # ruleid: python.hardcoded-crypto-key
    return Fernet(b"ZmRmZGZkZmRmZGZkZmRmZGZkZmRmZGZkZmRmZGZkZmQ=")


def sign_webhook(body: bytes) -> str:
    # ruleid: python.hardcoded-crypto-key
    return hmac.new("webhook-signing-secret".encode(), body, hashlib.sha256).hexdigest()


def seal(data: bytes, nonce: bytes) -> bytes:
    # ruleid: python.hardcoded-crypto-key
    return AESGCM(bytes.fromhex("00112233445566778899aabbccddeeff")).encrypt(nonce, data, None)


def encrypt_note_env(data: bytes) -> bytes:
    key = bytes.fromhex(os.environ["NOTE_KEY"])
    # ok: python.hardcoded-crypto-key
    cipher = AES.new(key, AES.MODE_GCM)
    return cipher.nonce + cipher.encrypt(data)


def token_box_env():
    # ok: python.hardcoded-crypto-key
    return Fernet(FERNET_KEY)


def sign_webhook_env(body: bytes, secret: bytes) -> str:
    # ok: python.hardcoded-crypto-key
    return hmac.new(secret, body, hashlib.sha256).hexdigest()
