#!/usr/bin/env python3
"""Make the static-analysis benchmark's copied input, or describe an input read in place.

    code_inputs.py copy --src /usr/lib/python3.11 --out bench/work/code-inputs/stdlib
    code_inputs.py stats --src DIR --out STATS.json

`copy` copies the regular files under SRC into OUT once, so that every tool reads the very same
bytes: no `__pycache__` directories (compiled bytecode, rewritten whenever Python imports a module)
and no symbolic links (Debian links `sitecustomize.py` to /etc and one sysconfig module to
another; a copy would either leave the tree or hold the same file twice). It writes OUT.json with
the counts and a digest of the copy, and reuses an existing copy whose digest still matches.
`stats` writes the same description of a directory without copying it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys


def count_lines(path: str) -> int:
    """Lines as `wc -l` counts them, plus a last line without a newline."""
    n = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 20)
            if not block:
                break
            n += block.count(b"\n")
            last = block[-1:]
    return n + (1 if last != b"\n" else 0)


def describe(root: str, source: str) -> dict:
    files = []
    for dp, dns, fns in os.walk(root):
        dns[:] = sorted(d for d in dns if d != "__pycache__" and not os.path.islink(os.path.join(dp, d)))
        for f in sorted(fns):
            p = os.path.join(dp, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            files.append(os.path.relpath(p, root))
    digest = hashlib.sha256()
    size = py = py_lines = py_bytes = 0
    for rel in files:
        p = os.path.join(root, rel)
        h = hashlib.sha256()
        with open(p, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        st = os.stat(p)
        size += st.st_size
        digest.update(f"{rel}\0{st.st_size}\0{h.hexdigest()}\n".encode())
        if rel.endswith(".py"):
            py += 1
            py_bytes += st.st_size
            py_lines += count_lines(p)
    return {"source": source, "files": len(files), "bytes": size, "py_files": py, "py_bytes": py_bytes,
            "py_lines": py_lines, "sha256": digest.hexdigest()}


def copy(src: str, out: str) -> dict:
    stats_path = out.rstrip("/") + ".json"
    if os.path.isdir(out) and os.path.isfile(stats_path):
        try:
            with open(stats_path) as fh:
                old = json.load(fh)
            if old.get("source") == src and describe(out, src)["sha256"] == old.get("sha256"):
                print(f"==> reusing {out} ({old['py_files']:,} Python files, {old['py_lines']:,} lines)")
                return old
        except (OSError, ValueError):
            pass
    print(f"==> copying {src} into {out} (regular files; no __pycache__, no symbolic links)")
    shutil.rmtree(out, ignore_errors=True)
    for dp, dns, fns in os.walk(src):
        dns[:] = [d for d in dns if d != "__pycache__" and not os.path.islink(os.path.join(dp, d))]
        dst = os.path.join(out, os.path.relpath(dp, src))
        os.makedirs(dst, exist_ok=True)
        for f in fns:
            p = os.path.join(dp, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            shutil.copy2(p, os.path.join(dst, f))
    stats = describe(out, src)
    with open(stats_path, "w") as fh:
        json.dump(stats, fh, indent=2)
    print(f"    {stats['files']:,} files, {stats['py_files']:,} Python files, {stats['py_lines']:,} lines")
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["copy", "stats"])
    ap.add_argument("--src", required=True)
    ap.add_argument("--out", required=True, help="copy: the directory to create; stats: the JSON to write")
    a = ap.parse_args()
    src = os.path.abspath(a.src)
    if not os.path.isdir(src):
        print(f"code_inputs.py: {a.src} is not a directory", file=sys.stderr)
        return 1
    try:
        if a.mode == "copy":
            copy(src, a.out)
        else:
            with open(a.out, "w") as fh:
                json.dump(describe(src, src), fh, indent=2)
    except OSError as e:
        print(f"code_inputs.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
