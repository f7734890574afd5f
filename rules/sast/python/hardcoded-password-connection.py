import os
import smtplib

import ldap3
import paramiko
import psycopg2
import pymysql
from sqlalchemy import create_engine


def reporting_db():
    # ruleid: python.hardcoded-password-connection
    return psycopg2.connect(host="db.internal", dbname="reports", user="report", password="R3port!2024")


def legacy_db():
    # ruleid: python.hardcoded-password-connection
    return pymysql.connect(host="mysql.internal", user="app", passwd="app-pass", database="legacy")


# ruleid: python.hardcoded-password-connection
engine = create_engine("postgresql+psycopg2://app:Sup3rS3cret@db.internal:5432/app")


def send_alert(msg):
    with smtplib.SMTP("smtp.example.com", 587) as smtp:
        smtp.starttls()
        # ruleid: python.hardcoded-password-connection
        smtp.login("alerts@example.com", "mail-password-1")
        smtp.send_message(msg)


def directory():
    server = ldap3.Server("ldaps://ldap.example.com")
    # ruleid: python.hardcoded-password-connection
    return ldap3.Connection(server, user="cn=svc,dc=example,dc=com", password="ldap-secret", auto_bind=True)


def reporting_db_env():
    # ok: python.hardcoded-password-connection
    return psycopg2.connect(host="db.internal", dbname="reports", user="report", password=os.environ["REPORT_DB_PASSWORD"])


# ok: python.hardcoded-password-connection
engine_env = create_engine(os.environ["DATABASE_URL"])
# ok: python.hardcoded-password-connection
engine_local = create_engine("sqlite:///var/app.db")


def deploy(host):
    client = paramiko.SSHClient()
    # ok: python.hardcoded-password-connection
    client.connect(host, username="deploy", key_filename="/etc/deploy/id_ed25519")
    return client


def send_alert_env(msg):
    with smtplib.SMTP("smtp.example.com", 587) as smtp:
        # ok: python.hardcoded-password-connection
        smtp.login("alerts@example.com", os.environ["SMTP_PASSWORD"])
        smtp.send_message(msg)
