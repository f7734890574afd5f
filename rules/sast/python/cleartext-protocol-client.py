import ftplib
import os
import smtplib
import telnetlib


def upload_statement(path):
    # ruleid: python.cleartext-protocol-client
    ftp = ftplib.FTP("ftp.partner.example.com")
    ftp.login("bank", os.environ["FTP_PASSWORD"])
    with open(path, "rb") as fh:
        ftp.storbinary("STOR statement.csv", fh)


def reboot_switch(host):
    # ruleid: python.cleartext-protocol-client
    tn = telnetlib.Telnet(host, 23, timeout=10)
    tn.write(b"reload\n")


def send_report(msg):
    smtp = smtplib.SMTP("smtp.example.com", 25)
    # ruleid: python.cleartext-protocol-client
    smtp.login("reports", os.environ["SMTP_PASSWORD"])
    smtp.send_message(msg)


def upload_statement_tls(path):
    # ok: python.cleartext-protocol-client
    ftp = ftplib.FTP_TLS("ftp.partner.example.com")
    ftp.login("bank", os.environ["FTP_PASSWORD"])
    ftp.prot_p()
    with open(path, "rb") as fh:
        ftp.storbinary("STOR statement.csv", fh)


def send_report_tls(msg):
    smtp = smtplib.SMTP("smtp.example.com", 587)
    smtp.starttls()
    # ok: python.cleartext-protocol-client
    smtp.login("reports", os.environ["SMTP_PASSWORD"])
    smtp.send_message(msg)


def send_report_ssl(msg):
    with smtplib.SMTP_SSL("smtp.example.com", 465) as smtp:
        # ok: python.cleartext-protocol-client
        smtp.login("reports", os.environ["SMTP_PASSWORD"])
        smtp.send_message(msg)
