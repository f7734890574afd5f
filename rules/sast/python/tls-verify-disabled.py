import aiohttp
import httpx
import requests

CA_BUNDLE = "/etc/ssl/certs/corp-ca.pem"


def fetch_rates():
    # ruleid: python.tls-verify-disabled
    return requests.get("https://rates.internal.example.com/today", verify=False, timeout=5).json()


def post_payment(payload):
    session = requests.Session()
    # ruleid: python.tls-verify-disabled
    session.verify = False
    return session.post("https://payments.example.com/v1/charge", json=payload)


def fetch_status():
    with httpx.Client() as client:
        # ruleid: python.tls-verify-disabled
        return client.get("https://status.example.com", verify=False).status_code


async def fetch_feed():
    # ruleid: python.tls-verify-disabled
    connector = aiohttp.TCPConnector(ssl=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        async with session.get("https://feed.example.com") as resp:
            return await resp.text()


def fetch_rates_ok():
    # ok: python.tls-verify-disabled
    return requests.get("https://rates.internal.example.com/today", verify=CA_BUNDLE, timeout=5).json()


def post_payment_ok(payload):
    session = requests.Session()
    # ok: python.tls-verify-disabled
    session.verify = CA_BUNDLE
    return session.post("https://payments.example.com/v1/charge", json=payload)


def fetch_status_ok():
    # ok: python.tls-verify-disabled
    return httpx.get("https://status.example.com", verify=True).status_code
