import paramiko
from paramiko import AutoAddPolicy, RejectPolicy


def deploy(host):
    client = paramiko.SSHClient()
    # ruleid: python.paramiko-auto-add-host-key
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, username="deploy", key_filename="/etc/deploy/id_ed25519")
    return client


def backup(host):
    ssh = paramiko.SSHClient()
    # ruleid: python.paramiko-auto-add-host-key
    ssh.set_missing_host_key_policy(AutoAddPolicy)
    ssh.connect(host, username="backup")
    return ssh


def audit(host):
    ssh = paramiko.SSHClient()
    # ruleid: python.paramiko-auto-add-host-key
    ssh.set_missing_host_key_policy(paramiko.WarningPolicy())
    ssh.connect(host, username="audit")
    return ssh


def deploy_ok(host):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    # ok: python.paramiko-auto-add-host-key
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(host, username="deploy")
    return client


def backup_ok(host):
    ssh = paramiko.SSHClient()
    ssh.load_host_keys("/etc/ssh/ssh_known_hosts")
    # ok: python.paramiko-auto-add-host-key
    ssh.set_missing_host_key_policy(RejectPolicy)
    ssh.connect(host, username="backup")
    return ssh


def audit_ok(host):
    ssh = paramiko.SSHClient()
    # ok: python.paramiko-auto-add-host-key
    ssh.load_system_host_keys()
    ssh.connect(host, username="audit")
    return ssh
