import os
import tempfile
from tempfile import mktemp


def export_report(data: bytes) -> str:
    # ruleid: python.tempfile-mktemp
    path = tempfile.mktemp(suffix=".csv")
    with open(path, "wb") as fh:
        fh.write(data)
    return path


def scratch_dir() -> str:
    # ruleid: python.tempfile-mktemp
    path = mktemp(prefix="build-")
    os.mkdir(path)
    return path


def spool(data: bytes) -> str:
    # ruleid: python.tempfile-mktemp
    name = tempfile.mktemp(dir="/var/spool/app")
    with open(name, "xb") as fh:
        fh.write(data)
    return name


def export_report_safe(data: bytes) -> str:
    # ok: python.tempfile-mktemp
    fd, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return path


def spool_safe(data: bytes) -> str:
    # ok: python.tempfile-mktemp
    with tempfile.NamedTemporaryFile(dir="/var/spool/app", delete=False) as fh:
        fh.write(data)
        return fh.name


def scratch_dir_safe() -> str:
    # ok: python.tempfile-mktemp
    return tempfile.mkdtemp(prefix="build-")
