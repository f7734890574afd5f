#!/usr/bin/env python3
"""Generate the dependency-scanning benchmark inputs, deterministically, from the shared data.

    make-deps-inputs.py --data ../shared/data --out bench/work/deps-inputs [--force]

Writes, under --out:
- cargo-10k/Cargo.lock: a version-4 Cargo.lock of 10,000 registry packages. Names: every crate
  with a RustSec advisory (advisories/rustsec/crates/*) plus every registry crate in the real
  Cargo.lock fixtures (lockfiles/cargo-lock/real/*.Cargo.lock). Versions per crate, in order of
  preference: the versions the real lockfiles pin (with their real checksums), the version
  bounds the crate's advisories name (`patched`/`unaffected`) and the release just below the
  lowest of them (so both affected and fixed versions occur), then neighbouring releases until
  the total is 10,000. Every package has `source = "registry+https://github.com/rust-lang/
  crates.io-index"` and a checksum (sha256 of "name-version" where no real one is known), and
  0-6 dependencies on packages later in a fixed shuffled order (so the graph is acyclic), named
  "name" or "name version" as Cargo does when one or several versions of the name are present;
  a workspace root package depends on the packages nothing else depends on. No reference dangles.
- pypi/requirements.txt: one `name==version` line per PyPI project: every package in the PyPA
  advisory database (advisories/pypa, its own spelling) and every pinned project of the real
  requirements fixtures (lockfiles/requirements-txt/real). Fixture pins are kept; an advisory
  package gets one version its advisories name (an enumerated affected version, a fixed or
  last-affected bound), chosen by a seeded random generator, so some are affected and some not.
- monorepo/: 320 project directories (`<group>/<name>-NNN/`), each with a copy of one or two of
  the real lockfiles of lockfiles/*/real under their canonical names (Cargo.lock,
  package-lock.json + package.json, yarn.lock, pnpm-lock.yaml, requirements.txt, poetry.lock,
  uv.lock, go.mod + go.sum, Gemfile.lock, composer.lock, the java-goof Maven tree), assigned
  round-robin so every format recurs.
- inputs.json: counts, bytes and a digest of each input (the table's input descriptions).

A re-run with the same data and the same script reuses the existing inputs (--force rebuilds).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
import tomllib

SEED = 20261123
CARGO_PACKAGES = 10_000
PROJECTS = 320
REGISTRY = "registry+https://github.com/rust-lang/crates.io-index"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


# ---- Cargo.lock ------------------------------------------------------------------------------

def semver_key(v: str):
    m = SEMVER.match(v)
    if not m:
        return (0, 0, 0, 0, v)
    pre = m.group(4)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), 0 if pre else 1,
            tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in (pre or "").split(".")))


def norm_version(raw: str) -> str | None:
    """'1.2' -> '1.2.0'; None unless the result is strict SemVer."""
    raw = raw.strip()
    m = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$", raw)
    if not m:
        return None
    v = f"{int(m.group(1))}.{int(m.group(2) or 0)}.{int(m.group(3) or 0)}{m.group(4) or ''}"
    return v if SEMVER.match(v) else None


def below(v: str) -> str | None:
    m = SEMVER.match(v)
    if not m:
        return None
    a, b, c = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if m.group(4):  # a pre-release: the release before its x.y.z
        return below(f"{a}.{b}.{c}")
    if c > 0:
        return f"{a}.{b}.{c - 1}"
    if b > 0:
        return f"{a}.{b - 1}.3"
    if a > 0:
        return f"{a - 1}.9.0"
    return None


def rustsec_versions(data: str) -> dict[str, list[str]]:
    """crate -> the versions its advisories' `patched`/`unaffected` requirements name."""
    out: dict[str, list[str]] = {}
    root = os.path.join(data, "advisories", "rustsec", "crates")
    for crate in sorted(os.listdir(root)):
        vs: list[str] = []
        d = os.path.join(root, crate)
        if not os.path.isdir(d):
            continue
        for fn in sorted(os.listdir(d)):
            if not fn.endswith(".md"):
                continue
            text = open(os.path.join(d, fn), encoding="utf-8").read()
            m = re.search(r"```toml\n(.*?)\n```", text, re.S)
            if not m:
                continue
            try:
                doc = tomllib.loads(m.group(1))
            except tomllib.TOMLDecodeError:
                continue
            ver = doc.get("versions", {})
            for req in ver.get("patched", []) + ver.get("unaffected", []):
                for part in req.split(","):
                    v = norm_version(re.sub(r"^[\s<>=^~]*", "", part))
                    if v and v not in vs:
                        vs.append(v)
        lows = sorted(vs, key=semver_key)
        if lows:
            b = below(lows[0])
            if b and b not in vs:
                vs.insert(0, b)
        out[crate] = vs
    return out


def real_cargo_packages(data: str) -> dict[str, dict[str, str]]:
    """crate -> {version: checksum} from the registry packages of the real Cargo.lock fixtures."""
    out: dict[str, dict[str, str]] = {}
    d = os.path.join(data, "lockfiles", "cargo-lock", "real")
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".lock"):
            continue
        with open(os.path.join(d, fn), "rb") as fh:
            doc = tomllib.load(fh)
        for p in doc.get("package", []):
            if p.get("source", "").startswith("registry+") and SEMVER.match(p["version"]):
                out.setdefault(p["name"], {})[p["version"]] = p.get("checksum", "")
    return out


def neighbours(base: list[str], rng: random.Random):
    """An endless, deterministic stream of plausible further releases of a crate."""
    seen = set(base)
    seeds = [v for v in base if SEMVER.match(v) and not SEMVER.match(v).group(4)] or ["0.1.0"]
    while True:
        a, b, c = (int(x) for x in SEMVER.match(rng.choice(seeds)).groups()[:3])
        r = rng.random()
        if r < 0.55:
            v = f"{a}.{b}.{c + rng.randint(1, 4)}"
        elif r < 0.85:
            v = f"{a}.{b + rng.randint(1, 2)}.{rng.randint(0, 3)}"
        elif a == 0 and b > 0:
            v = f"0.{b - rng.randint(1, min(b, 3))}.{rng.randint(0, 9)}"
        else:
            v = f"{a + 1}.0.{rng.randint(0, 2)}"
        if v not in seen:
            seen.add(v)
            yield v


def make_cargo_lock(data: str, path: str) -> dict:
    rng = random.Random(SEED)
    adv = rustsec_versions(data)
    real = real_cargo_packages(data)
    names = sorted(set(adv) | set(real))
    chosen: dict[str, dict[str, str]] = {}
    for n in names:
        vs: dict[str, str] = {}
        for v, ck in real.get(n, {}).items():
            vs[v] = ck
        for v in adv.get(n, [])[:5]:
            vs.setdefault(v, "")
        chosen[n] = vs
    total = sum(len(v) for v in chosen.values())
    if total > CARGO_PACKAGES:
        raise SystemExit(f"make-deps-inputs: {total} base versions already exceed {CARGO_PACKAGES}")
    streams = {n: neighbours(list(chosen[n]), random.Random(f"{SEED}-{n}")) for n in names}
    order = names[:]
    while total < CARGO_PACKAGES:
        rng.shuffle(order)
        for n in order:
            if total >= CARGO_PACKAGES:
                break
            chosen[n][next(streams[n])] = ""
            total += 1
    pkgs = [(n, v, ck or hashlib.sha256(f"{n}-{v}".encode()).hexdigest())
            for n in names for v, ck in chosen[n].items()]
    multi = {n for n in names if len(chosen[n]) > 1}
    ref = lambda n, v: f"{n} {v}" if n in multi else n  # noqa: E731
    # Dependencies point forward in a fixed shuffled order: the graph is acyclic.
    perm = list(range(len(pkgs)))
    rng.shuffle(perm)
    pos = {p: i for i, p in enumerate(perm)}
    deps: dict[int, list[int]] = {}
    depended = set()
    for i, p in enumerate(perm):
        later = len(perm) - i - 1
        k = min(later, rng.choice([0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6]))
        picked, names_used = [], set()
        for q in rng.sample(perm[i + 1:], min(later, k * 3)) if k else []:
            if len(picked) >= k:
                break
            if pkgs[q][0] in names_used or pkgs[q][0] == pkgs[p][0]:
                continue
            names_used.add(pkgs[q][0])
            picked.append(q)
        deps[p] = picked
        depended.update(picked)
    roots = [p for p in sorted(range(len(pkgs)), key=lambda p: pos[p]) if p not in depended]
    root_name = "bench-workspace"
    out = ["# This file is automatically @generated by Cargo.", "# It is not intended for manual editing.",
           "version = 4", ""]
    entries = [(n, v, ck, sorted(ref(*pkgs[q][:2]) for q in deps[i])) for i, (n, v, ck) in enumerate(pkgs)]
    entries.append((root_name, "0.1.0", None, sorted(ref(*pkgs[q][:2]) for q in roots)))
    entries.sort(key=lambda e: (e[0], semver_key(e[1])))
    for n, v, ck, ds in entries:
        out += ["[[package]]", f'name = "{n}"', f'version = "{v}"']
        if ck is not None:
            out += [f'source = "{REGISTRY}"', f'checksum = "{ck}"']
        if ds:
            out.append("dependencies = [")
            out += [f' "{d}",' for d in ds]
            out.append("]")
        out.append("")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = "\n".join(out)
    with open(path, "w") as fh:
        fh.write(text)
    return {"packages": len(pkgs), "crates": len(names), "advisory_crates": len(adv),
            "real_versions": sum(len(v) for v in real.values()), "bytes": len(text.encode()),
            "roots": len(roots), "edges": sum(len(d) for d in deps.values()), "format_version": 4}


# ---- requirements.txt --------------------------------------------------------------------------

def canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pep440(v: str) -> bool:
    return bool(re.match(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$", v))


def make_requirements(data: str, path: str) -> dict:
    import yaml  # the venv's PyYAML (bench/deps.sh runs this script with it)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    rng = random.Random(SEED)
    pins: dict[str, tuple[str, str]] = {}  # canonical -> (spelling, version)
    d = os.path.join(data, "lockfiles", "requirements-txt", "real")
    for fn in sorted(os.listdir(d)):
        for line in open(os.path.join(d, fn), encoding="utf-8"):
            m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#\\]+)", line.strip())
            if m and pep440(m.group(2)):
                pins.setdefault(canon(m.group(1)), (m.group(1), m.group(2)))
    from_fixtures = len(pins)
    root = os.path.join(data, "advisories", "pypa", "vulns")
    candidates: dict[str, tuple[str, list[str]]] = {}
    for pkg in sorted(os.listdir(root)):
        if not os.path.isdir(os.path.join(root, pkg)):
            continue
        for fn in sorted(os.listdir(os.path.join(root, pkg))):
            if not fn.endswith(".yaml"):
                continue
            with open(os.path.join(root, pkg, fn), encoding="utf-8") as fh:
                rec = yaml.load(fh, Loader=loader)
            for aff in rec.get("affected") or []:
                p = aff.get("package") or {}
                if p.get("ecosystem") != "PyPI":
                    continue
                spelling, vs = candidates.setdefault(canon(p["name"]), (p["name"], []))
                for v in aff.get("versions") or []:
                    vs.append(str(v))
                for r in aff.get("ranges") or []:
                    if r.get("type") == "ECOSYSTEM":
                        for ev in r.get("events") or []:
                            for k in ("fixed", "last_affected", "introduced"):
                                if k in ev and str(ev[k]) != "0":
                                    vs.append(str(ev[k]))
    added = 0
    for c in sorted(candidates):
        if c in pins:
            continue
        spelling, vs = candidates[c]
        vs = sorted({v for v in vs if pep440(v)})
        if vs:
            pins[c] = (spelling, rng.choice(vs))
            added += 1
    lines = [f"{spelling}=={v}" for _, (spelling, v) in sorted(pins.items())]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = "\n".join(lines) + "\n"
    with open(path, "w") as fh:
        fh.write(text)
    return {"packages": len(lines), "from_fixtures": from_fixtures, "from_advisories": added,
            "bytes": len(text.encode())}


# ---- monorepo ----------------------------------------------------------------------------------

def templates(data: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(kind, [(source path, name in the project)]) for each real lockfile."""
    L = os.path.join(data, "lockfiles")
    out = []

    def add(kind, files):
        files = [(os.path.join(L, s), t) for s, t in files if os.path.exists(os.path.join(L, s))]
        if files:
            out.append((kind, files))

    for stem in ("generated-1248pkgs", "noseyparker", "uv"):
        add("rust", [(f"cargo-lock/real/{stem}.Cargo.lock", "Cargo.lock")])
    for stem in ("generated-2357pkgs", "generated-xl", "nodejs-goof", "osv-scanner-fix-in-place-npm"):
        add("node", [(f"package-lock-json/real/{stem}.package-lock.json", "package-lock.json"),
                     (f"package-lock-json/real/{stem}.package.json", "package.json")])
    for stem in ("prettier-website.berry", "prettier.berry", "webpack"):
        add("node", [(f"yarn-lock/real/{stem}.yarn.lock", "yarn.lock")])
    for stem in ("osv.dev-frontend3", "vite"):
        add("node", [(f"pnpm-lock/real/{stem}.pnpm-lock.yaml", "pnpm-lock.yaml")])
    for fn in ("airflow2-constraints.txt", "home-assistant.pinned.requirements.txt",
               "home-assistant.requirements.txt", "jupyter.compiled.requirements.txt"):
        add("python", [(f"requirements-txt/real/{fn}", "requirements.txt")])
    add("python", [("poetry-lock/real/osv.dev.poetry.lock", "poetry.lock")])
    for stem in ("ggshield", "uv-benchmark", "uv"):
        add("python", [(f"uv-lock/real/{stem}.uv.lock", "uv.lock")])
    add("go", [("go-mod/real/usql.go.mod", "go.mod"), ("go-mod/real/usql.go.sum", "go.sum")])
    add("ruby", [("gemfile-lock/real/railsgoat.Gemfile.lock", "Gemfile.lock")])
    add("php", [("composer-lock/real/koel.composer.lock", "composer.lock")])
    jg = os.path.join(L, "pom-xml", "real", "java-goof")
    if os.path.isdir(jg):
        files = []
        for dp, dn, fns in os.walk(jg):
            dn.sort()
            for fn in sorted(fns):
                s = os.path.join(dp, fn)
                files.append((os.path.relpath(s, L), os.path.relpath(s, jg)))
        add("java", files)
    return out


def make_monorepo(data: str, root: str) -> dict:
    tpl = templates(data)
    rng = random.Random(SEED)
    groups = ["services", "libs", "tools", "apps", "infra"]
    names = ["billing", "catalog", "checkout", "gateway", "identity", "inventory", "ledger", "mailer",
             "notifier", "orders", "payments", "reports", "search", "scheduler", "storage", "web"]
    lockfiles = 0
    by_name: dict[str, int] = {}
    nbytes = 0
    for i in range(PROJECTS):
        kind, files = tpl[i % len(tpl)]
        sets = [files]
        if i % 3 == 2:  # every third project is polyglot: a second lockfile of another name
            for j in range(1, len(tpl)):
                k2, f2 = tpl[(i * 7 + j) % len(tpl)]
                if not {t for _, t in f2} & {t for _, t in files}:
                    sets.append(f2)
                    break
        proj = os.path.join(root, groups[i % len(groups)], f"{names[rng.randrange(len(names))]}-{i:03d}")
        for fs in sets:
            for src, target in fs:
                dst = os.path.join(proj, target)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(src, dst)
                nbytes += os.path.getsize(dst)
                base = os.path.basename(target)
                if base in ("package.json", "go.sum"):
                    continue
                lockfiles += 1
                by_name[base] = by_name.get(base, 0) + 1
    cargo_locks = sorted(os.path.relpath(os.path.join(dp, "Cargo.lock"), root)
                         for dp, _, fns in os.walk(root) if "Cargo.lock" in fns)
    with open(os.path.join(os.path.dirname(root), "monorepo-cargo-locks.txt"), "w") as fh:
        fh.write("".join(os.path.join(root, p) + "\n" for p in cargo_locks))
    return {"projects": PROJECTS, "lockfiles": lockfiles, "by_name": dict(sorted(by_name.items())),
            "bytes": nbytes, "cargo_locks": len(cargo_locks), "templates": len(tpl)}


def digest_tree(path: str) -> str:
    h = hashlib.sha256()
    for dp, dn, fns in os.walk(path):
        dn.sort()
        for fn in sorted(fns):
            p = os.path.join(dp, fn)
            h.update(os.path.relpath(p, path).encode() + b"\0")
            with open(p, "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="the shared data directory (advisories/, lockfiles/)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args()
    stats_path = os.path.join(a.out, "inputs.json")
    me = hashlib.sha256(open(__file__, "rb").read()).hexdigest()
    if not a.force and os.path.exists(stats_path):
        try:
            old = json.load(open(stats_path))
            if old.get("generator") == me and old.get("data") == os.path.abspath(a.data):
                print(f"==> dependency inputs up to date ({a.out})")
                return 0
        except ValueError:
            pass
    if os.path.isdir(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    print(f"==> generating dependency inputs under {a.out}")
    st = {"generator": me, "data": os.path.abspath(a.data)}
    st["cargo"] = make_cargo_lock(a.data, os.path.join(a.out, "cargo-10k", "Cargo.lock"))
    st["cargo"]["sha256"] = hashlib.sha256(open(os.path.join(a.out, "cargo-10k", "Cargo.lock"), "rb").read()).hexdigest()
    st["requirements"] = make_requirements(a.data, os.path.join(a.out, "pypi", "requirements.txt"))
    st["requirements"]["sha256"] = hashlib.sha256(
        open(os.path.join(a.out, "pypi", "requirements.txt"), "rb").read()).hexdigest()
    st["monorepo"] = make_monorepo(a.data, os.path.join(a.out, "monorepo"))
    st["monorepo"]["sha256"] = digest_tree(os.path.join(a.out, "monorepo"))
    with open(stats_path, "w") as fh:
        json.dump(st, fh, indent=2)
    print(f"    Cargo.lock: {st['cargo']['packages']:,} packages ({st['cargo']['crates']:,} crates); "
          f"requirements.txt: {st['requirements']['packages']:,} pins; monorepo: {st['monorepo']['projects']} "
          f"projects, {st['monorepo']['lockfiles']} lockfiles, {st['monorepo']['bytes'] / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
