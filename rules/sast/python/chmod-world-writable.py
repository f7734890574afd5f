import os
import pathlib
import stat


def publish(path):
    # ruleid: python.chmod-world-writable
    os.chmod(path, 0o777)


def make_shared(path):
    # ruleid: python.chmod-world-writable
    os.chmod(path, stat.S_IRWXU | stat.S_IRWXG | stat.S_IWOTH)


def make_upload_dir(path):
    # ruleid: python.chmod-world-writable
    os.makedirs(path, mode=0o766, exist_ok=True)


def open_log(path):
    # ruleid: python.chmod-world-writable
    pathlib.Path(path).chmod(0o666)


def publish_ok(path):
    # ok: python.chmod-world-writable
    os.chmod(path, 0o644)


def make_private(path):
    # ok: python.chmod-world-writable
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def make_upload_dir_ok(path):
    # ok: python.chmod-world-writable
    os.makedirs(path, mode=0o750, exist_ok=True)
