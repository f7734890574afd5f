#!/usr/bin/env bash
# Build the "history" input of the secrets benchmark: a git repository whose
# history is the release history of a real project (setuptools), one commit per
# PyPI release, made reproducibly from the releases' sdists.
#
#   bench/lib/make-history-repo.sh [--work DIR] [--jobs N] [--force]
#
# - The release list is bench/lib/history-versions.txt (one version a line).
# - Each sdist is fetched once with pip (`pip download --no-deps --no-binary
#   :all:`) into DIR/sdists/ and reused afterwards.
# - For each release, in file order, the work tree is emptied, the sdist is
#   unpacked into it (its top directory stripped), everything is added (`git add
#   -A -f`, so .gitignore files shipped in an sdist do not hide files) and
#   committed with a fixed identity and, as author and committer date, the
#   newest mtime among the sdist's tar members (the time the sdist was built,
#   i.e. the release date). Commits and trees are therefore byte-for-byte
#   reproducible from the same sdists. Each commit is tagged v<version>.
# - The repository ends in DIR/history-repo (branch main), packed by `git gc`;
#   figures about it are written to DIR/history-repo.json.
#
# Re-running is a no-op when DIR/history-repo.json records the same release
# list (use --force to rebuild).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(cd "$here/.." && pwd)/work"
jobs=4
force=0
project=setuptools
versions_file="$here/history-versions.txt"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) work="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,"");print}' "$0"; exit 0 ;;
    *) echo "make-history-repo: unknown argument: $1" >&2; exit 2 ;;
  esac
done

die() { echo "make-history-repo: $*" >&2; exit 1; }
command -v git >/dev/null || die "git is required"
mkdir -p "$work/sdists" "$work/logs"
work="$(cd "$work" && pwd)"
# pip runs from the benchmark's venv (never the system python, whose files are
# the tree corpus): `--no-build-isolation` needs setuptools and wheel there.
py="${BENCH_PYTHON:-$work/venv/bin/python}"
if [[ ! -x "$py" ]]; then
  python3 -m venv "$work/venv" || die "cannot create the venv $work/venv"
  py="$work/venv/bin/python"
fi
"$py" -c 'import setuptools, wheel' 2>/dev/null ||
  "$py" -m pip install -q --disable-pip-version-check setuptools wheel ||
  die "cannot install setuptools+wheel into $py's environment"
repo="$work/history-repo"
stats="$work/history-repo.json"
mapfile -t versions < <(grep -v '^[[:space:]]*#' "$versions_file" | sed 's/[[:space:]]//g' | grep -v '^$')
[[ ${#versions[@]} -gt 0 ]] || die "no versions in $versions_file"
list_hash="$(printf '%s\n' "$project" "${versions[@]}" | sha256sum | cut -c1-16)"

if [[ $force -eq 0 && -f "$stats" && -d "$repo/.git" ]] &&
   grep -q "\"list_hash\": \"$list_hash\"" "$stats"; then
  echo "make-history-repo: $repo is up to date (${#versions[@]} releases of $project)"
  exit 0
fi

# ---- 1. fetch the sdists (parallel, each once) ---------------------------------
missing=()
for v in "${versions[@]}"; do
  compgen -G "$work/sdists/$project-$v.tar.gz" >/dev/null ||
    compgen -G "$work/sdists/$project-$v.zip" >/dev/null || missing+=("$v")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "make-history-repo: downloading ${#missing[@]} sdists of $project from PyPI ($jobs at a time)..."
  export py project work
  fetch_one() {
    local v="$1" log
    log="$(mktemp "$work/logs/pip-download.XXXXXX")"
    # --no-build-isolation: pip still prepares each sdist's metadata, but
    # without creating a fresh build environment per release (5 s instead of
    # 50 s each). Fall back to isolation if that fails for an old release.
    if "$py" -m pip download -q --disable-pip-version-check --no-deps \
         --no-binary :all: --no-build-isolation -d "$work/sdists" "$project==$v" >"$log" 2>&1 ||
       "$py" -m pip download -q --disable-pip-version-check --no-deps \
         --no-binary :all: -d "$work/sdists" "$project==$v" >>"$log" 2>&1; then
      rm -f "$log"; echo "  got $project $v"
    else
      echo "  FAILED $project $v (log: $log)" >&2; return 1
    fi
  }
  export -f fetch_one
  printf '%s\n' "${missing[@]}" | xargs -P "$jobs" -I{} bash -c 'fetch_one "$@"' _ {} ||
    die "some sdists could not be downloaded (see the messages above)"
fi

# ---- 2. build the repository ----------------------------------------------------
tmp="$work/history-repo.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
gitc=(git -C "$tmp" -c core.autocrlf=false -c core.safecrlf=false -c core.fileMode=true
      -c user.name="PyPI release" -c user.email="releases@example.invalid"
      -c commit.gpgSign=false -c tag.gpgSign=false -c gc.auto=0)
"${gitc[@]}" init -q -b main
echo "make-history-repo: committing ${#versions[@]} releases into $repo ..."
n=0
for v in "${versions[@]}"; do
  sd="$(compgen -G "$work/sdists/$project-$v.tar.gz" || compgen -G "$work/sdists/$project-$v.zip")"
  # empty the work tree (keep .git)
  find "$tmp" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  date="$("$py" - "$sd" "$tmp" <<'EOF'
import calendar, sys, tarfile, zipfile, os, shutil
src, dst = sys.argv[1], sys.argv[2]
newest = 0
if src.endswith(".zip"):
    with zipfile.ZipFile(src) as z:
        for i in z.infolist():
            newest = max(newest, calendar.timegm(i.date_time + (0, 0, 0)))
            parts = i.filename.split("/", 1)
            if len(parts) < 2 or not parts[1] or i.is_dir():
                continue
            out = os.path.join(dst, parts[1])
            os.makedirs(os.path.dirname(out), exist_ok=True)
            if ".git" in parts[1].split("/"):
                continue
            with z.open(i) as f, open(out, "wb") as g:
                shutil.copyfileobj(f, g)
            os.chmod(out, 0o755 if (i.external_attr >> 16) & 0o111 else 0o644)
else:
    with tarfile.open(src) as t:
        for m in t.getmembers():
            newest = max(newest, m.mtime)
            parts = m.name.split("/", 1)
            if len(parts) < 2 or not parts[1] or not m.isfile():
                continue
            out = os.path.join(dst, parts[1])
            if ".git" in parts[1].split("/"):
                continue
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with t.extractfile(m) as f, open(out, "wb") as g:
                shutil.copyfileobj(f, g)
            os.chmod(out, 0o755 if m.mode & 0o111 else 0o644)
print(f"{int(newest)} +0000")
EOF
)"
  "${gitc[@]}" add -A -f
  GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" \
    "${gitc[@]}" commit -q --allow-empty -m "$project $v" \
      -m "Unpacked sdist $(basename "$sd") (sha256 $(sha256sum "$sd" | cut -c1-64))."
  "${gitc[@]}" tag "v$v"
  n=$((n + 1))
  (( n % 50 == 0 )) && echo "  $n/${#versions[@]} committed"
done
"${gitc[@]}" gc -q --prune=now
rm -rf "$repo"
mv "$tmp" "$repo"

# ---- 3. record what was built -----------------------------------------------------
"$py" - "$repo" "$stats" "$project" "$list_hash" "${#versions[@]}" "${versions[0]}" "${versions[-1]}" <<'EOF'
import json, os, subprocess, sys
repo, out, project, list_hash, n, first, last = sys.argv[1:8]
def git(*a):
    return subprocess.run(["git", "-C", repo, *a], check=True, capture_output=True).stdout
commits = int(git("rev-list", "--count", "--all").strip())
blobs = blob_bytes = 0
for line in git("cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)").decode().splitlines():
    t, s = line.split()
    if t == "blob":
        blobs += 1
        blob_bytes += int(s)
pack = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(repo, ".git", "objects")) for f in fs)
# Size of the full-history patch text (what `git log -p` produces), for reference.
p = subprocess.Popen(["git", "-C", repo, "log", "-p", "--all", "--no-color", "--full-history"], stdout=subprocess.PIPE)
patch_bytes = 0
while chunk := p.stdout.read(1 << 20):
    patch_bytes += len(chunk)
p.wait()
head_files = len(git("ls-files").splitlines())
first_date = git("log", "--reverse", "--format=%cI", "--all").decode().split()[0]
last_date = git("log", "-1", "--format=%cI", "main").decode().strip()
json.dump({
    "project": project, "list_hash": list_hash, "releases": int(n),
    "first_release": first, "last_release": last,
    "first_date": first_date, "last_date": last_date,
    "commits": commits, "head": git("rev-parse", "main").decode().strip(),
    "head_files": head_files, "unique_blobs": blobs, "unique_blob_bytes": blob_bytes,
    "objects_bytes": pack, "patch_bytes": patch_bytes,
}, open(out, "w"), indent=2)
print(f"make-history-repo: {repo}: {commits} commits ({first} .. {last}), "
      f"{blobs} unique blobs = {blob_bytes/1e6:.1f} MB, .git/objects = {pack/1e6:.1f} MB, "
      f"git log -p = {patch_bytes/1e6:.1f} MB")
EOF
