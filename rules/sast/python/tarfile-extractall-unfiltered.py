import tarfile


def restore_backup(path, dest):
    with tarfile.open(path) as tar:
        # ruleid: python.tarfile-extractall-unfiltered
        tar.extractall(dest)


def install_plugin(upload, dest):
    tar = tarfile.open(fileobj=upload, mode="r:gz")
    # ruleid: python.tarfile-extractall-unfiltered
    tar.extractall(path=dest)
    tar.close()


def extract_one(path, name, dest):
    with tarfile.open(path) as tar:
        # ruleid: python.tarfile-extractall-unfiltered
        tar.extract(name, dest)


def restore_backup_safe(path, dest):
    with tarfile.open(path) as tar:
        # ok: python.tarfile-extractall-unfiltered
        tar.extractall(dest, filter="data")


def install_plugin_checked(upload, dest, safe_members):
    tar = tarfile.open(fileobj=upload, mode="r:gz")
    # ok: python.tarfile-extractall-unfiltered
    tar.extractall(path=dest, members=safe_members(tar))
    tar.close()


def list_backup(path):
    with tarfile.open(path) as tar:
        # ok: python.tarfile-extractall-unfiltered
        return tar.getnames()
