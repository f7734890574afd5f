#!/usr/bin/env bash
# Build the "tree" input of the secrets benchmark: a copy of the text files of
# the machine's Python install (standard library + site-packages of `python3`).
#
#   bench/lib/make-pytree.sh [--work DIR] [--python PYTHON] [--force]
#
# Source directories: the distinct `stdlib`, `platstdlib`, `purelib` and
# `platlib` paths of `PYTHON -c 'import sysconfig; print(sysconfig.get_paths())'`
# (nested ones are walked once). A file is copied (cp, not hardlinked, so later
# changes to the install do not change the corpus) to DIR/pytree/<n>-<last path
# component of its root>/<relative path> when ALL of these hold:
#   - it is a regular file (symlinks are not followed) under no __pycache__ dir;
#   - no component of its relative path starts with '.' (hidden files are
#     skipped by some walkers and not others: leave them out for everyone);
#   - it is not named .gitignore/.ignore/.secretsignore/.gitleaksignore and is
#     not a *.pth file (site-packages path hooks; machine-specific);
#   - its extension is not a binary/archive/image one (.so .pyc .pyo .a .o
#     .dll .exe .dylib .lib .whl .egg .zip .gz .tgz .bz2 .xz .zst .tar .7z .jar
#     .png .jpg .jpeg .gif .ico .bmp .webp .tif .tiff .icns .ttf .otf .woff
#     .woff2 .pdf .mo .db .sqlite .npy .npz .pkl .pickle);
#   - it is smaller than 10 MiB and has no NUL byte in its first 8 KiB.
# So every tool reads the same bytes (no tool skips a file as binary).
# The file list, count and total size go to DIR/pytree.json; re-running
# reuses DIR/pytree when DIR/pytree.json exists (use --force to rebuild).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(cd "$here/.." && pwd)/work"
py=python3
force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) work="$2"; shift 2 ;;
    --python) py="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,"");print}' "$0"; exit 0 ;;
    *) echo "make-pytree: unknown argument: $1" >&2; exit 2 ;;
  esac
done
command -v "$py" >/dev/null || { echo "make-pytree: $py not found" >&2; exit 1; }
mkdir -p "$work"
work="$(cd "$work" && pwd)"
dest="$work/pytree"
stats="$work/pytree.json"

if [[ $force -eq 0 && -f "$stats" && -d "$dest" ]]; then
  echo "make-pytree: $dest is up to date ($(grep -o '"files": [0-9]*' "$stats"))"
  exit 0
fi
rm -rf "$dest" "$dest.tmp" "$stats"

# The copying itself runs under the benchmark's own python3 (any python3 will
# do); the *source* directories come from $py.
"$py" -c 'import json, sysconfig; print(json.dumps(sysconfig.get_paths()))' >"$work/pytree.paths.json"
python3 - "$work/pytree.paths.json" "$dest.tmp" "$stats" "$py" <<'EOF'
import hashlib, json, os, shutil, subprocess, sys

paths_file, dest, stats, py = sys.argv[1:5]
paths = json.load(open(paths_file))
roots = []
for key in ("stdlib", "platstdlib", "purelib", "platlib"):
    p = os.path.realpath(paths[key])
    if os.path.isdir(p) and p not in roots:
        roots.append(p)
roots.sort(key=len)
# drop roots nested in another root (site-packages usually lives in the stdlib dir)
top = [r for r in roots if not any(r != o and r.startswith(o + os.sep) for o in roots)]

BAD_EXT = set("""
.so .pyc .pyo .pyd .a .o .dll .exe .dylib .lib .whl .egg .zip .gz .tgz .bz2 .xz
.zst .tar .7z .jar .png .jpg .jpeg .gif .ico .bmp .webp .tif .tiff .icns .ttf .otf
.woff .woff2 .pdf .mo .db .sqlite .npy .npz .pkl .pickle
""".split())
BAD_NAMES = {".gitignore", ".ignore", ".secretsignore", ".gitleaksignore"}
MAX = 10 * 1024 * 1024

files = []
skipped = {"hidden": 0, "pycache": 0, "ext": 0, "size": 0, "nul": 0, "not_regular": 0, "name": 0}
os.makedirs(dest)
for i, root in enumerate(top):
    prefix = f"{i}-{os.path.basename(root)}"
    for d, dirs, fnames in os.walk(root):
        rel_d = os.path.relpath(d, root)
        keep = []
        for x in sorted(dirs):
            if x == "__pycache__":
                skipped["pycache"] += 1
            elif x.startswith("."):
                skipped["hidden"] += 1
            elif os.path.islink(os.path.join(d, x)):
                skipped["not_regular"] += 1
            else:
                keep.append(x)
        dirs[:] = keep
        for f in sorted(fnames):
            src = os.path.join(d, f)
            ext = os.path.splitext(f)[1].lower()
            if f.startswith("."):
                skipped["hidden"] += 1; continue
            if f in BAD_NAMES or ext == ".pth":
                skipped["name"] += 1; continue
            if ext in BAD_EXT:
                skipped["ext"] += 1; continue
            if os.path.islink(src) or not os.path.isfile(src):
                skipped["not_regular"] += 1; continue
            size = os.path.getsize(src)
            if size >= MAX:
                skipped["size"] += 1; continue
            with open(src, "rb") as fh:
                if b"\0" in fh.read(8192):
                    skipped["nul"] += 1; continue
            rel = os.path.normpath(os.path.join(prefix, rel_d, f))
            out = os.path.join(dest, rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            shutil.copyfile(src, out)
            files.append((rel, size))

files.sort()
total = sum(s for _, s in files)
listing = "".join(f"{s}\t{r}\n" for r, s in files)
ver = subprocess.run([py, "-c", "import sys; print(sys.version.split()[0])"],
                     capture_output=True, text=True).stdout.strip()
with open(stats + ".files.tsv", "w") as fh:
    fh.write(listing)
json.dump({
    "python": py, "python_version": ver, "roots": top,
    "files": len(files), "bytes": total, "mb": round(total / 1e6, 1),
    "listing_sha256": hashlib.sha256(listing.encode()).hexdigest(),
    "skipped": skipped,
}, open(stats, "w"), indent=2)
print(f"make-pytree: {len(files)} files, {total/1e6:.1f} MB from {', '.join(top)} "
      f"(skipped: {', '.join(f'{k}={v}' for k, v in skipped.items())})")
EOF
mv "$dest.tmp" "$dest"
