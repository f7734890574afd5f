import os

import boto3
from azure.identity import ClientSecretCredential

# ruleid: python.hardcoded-cloud-credentials
s3 = boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

# ruleid: python.hardcoded-cloud-credentials
session = boto3.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

# ruleid: python.hardcoded-cloud-credentials
credential = ClientSecretCredential(tenant_id="tenant", client_id="app-id", client_secret="azure-client-secret-value")

# ok: python.hardcoded-cloud-credentials
s3_default = boto3.client("s3")

# ok: python.hardcoded-cloud-credentials
session_env = boto3.Session(aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])

# ok: python.hardcoded-cloud-credentials
credential_env = ClientSecretCredential(tenant_id="tenant", client_id="app-id", client_secret=os.environ["AZURE_CLIENT_SECRET"])
