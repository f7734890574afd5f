#!/usr/bin/env python3
"""A loopback stand-in for the OSV API's `POST /v1/query`, over a local OSV YAML/JSON tree.

pip-audit's OSV service asks `{"package": {"name": N, "ecosystem": "PyPI"}, "version": V}`
once per package; this answers from the PyPA advisory database on disk, so pip-audit can be
timed offline (bench/deps.sh). It listens on 127.0.0.1 only.

    osv_shim.py serve --data DIR [--port 0] [--port-file FILE]
    osv_shim.py query --data DIR NAME VERSION      # print the ids that match, for debugging

Matching follows OSV's rules for an ecosystem with ordered versions, with PEP 440 ordering from
`packaging`:
- the package name is compared after PEP 503 normalisation (`canonicalize_name`);
- an `affected` entry matches if the version is one of its enumerated `versions` (PEP 440
  equality) or lies in one of its `ECOSYSTEM` ranges; `GIT` ranges are ignored;
- a range's events are walked in version order (`introduced: "0"` first): `introduced` opens,
  `fixed` closes at that version, `last_affected` closes after it;
- records with `withdrawn` are skipped.
A version that PEP 440 cannot parse matches enumerated versions only (string equality).
The answer is `{"vulns": [...]}` with the whole records, sorted by id, or `{}` when none match.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

try:
    import yaml
except ImportError:  # JSON trees still load without PyYAML
    yaml = None


def _yaml_loader():
    """SafeLoader (C if available) that keeps timestamps as strings, as JSON would have them."""
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc,valid-type]
        pass

    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in base.yaml_implicit_resolvers.items()
    }
    return Loader


def load_records(root: str) -> list[dict]:
    """Every OSV record (*.yaml, *.yml, *.json) under `root`, in path order."""
    loader = _yaml_loader() if yaml else None
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            path = os.path.join(dirpath, fn)
            if fn.endswith((".yaml", ".yml")):
                if loader is None:
                    raise SystemExit("osv_shim: PyYAML is needed for OSV YAML files")
                with open(path, encoding="utf-8") as fh:
                    doc = yaml.load(fh, Loader=loader)
            elif fn.endswith(".json"):
                with open(path, encoding="utf-8") as fh:
                    doc = json.load(fh)
            else:
                continue
            if isinstance(doc, dict) and "id" in doc:
                out.append(doc)
    return out


def _parse(v: str) -> Version | None:
    try:
        return Version(v)
    except InvalidVersion:
        return None


class Index:
    """Records by (ecosystem, normalised package name)."""

    def __init__(self, records: list[dict]):
        self.by_pkg: dict[tuple[str, str], list[tuple[dict, list[dict]]]] = {}
        self.count = 0
        self.withdrawn = 0
        for rec in records:
            if rec.get("withdrawn"):
                self.withdrawn += 1
                continue
            self.count += 1
            mine: dict[tuple[str, str], list[dict]] = {}
            for aff in rec.get("affected") or []:
                pkg = aff.get("package") or {}
                eco, name = pkg.get("ecosystem"), pkg.get("name")
                if not eco or not name:
                    continue
                mine.setdefault((eco, self.norm(eco, name)), []).append(aff)
            for key, affs in mine.items():
                self.by_pkg.setdefault(key, []).append((rec, affs))
        for v in self.by_pkg.values():
            v.sort(key=lambda x: x[0]["id"])

    @staticmethod
    def norm(ecosystem: str, name: str) -> str:
        return canonicalize_name(name) if ecosystem == "PyPI" else name

    def query(self, ecosystem: str, name: str, version: str) -> list[dict]:
        parsed = _parse(version)
        hits = []
        for rec, affs in self.by_pkg.get((ecosystem, self.norm(ecosystem, name)), []):
            if any(affected(aff, version, parsed) for aff in affs):
                hits.append(rec)
        return hits


def affected(aff: dict, version: str, parsed: Version | None) -> bool:
    for v in aff.get("versions") or []:
        if v == version:
            return True
        if parsed is not None:
            pv = _parse(str(v))
            if pv is not None and pv == parsed:
                return True
    if parsed is None:
        return False
    for rng in aff.get("ranges") or []:
        if rng.get("type") != "ECOSYSTEM":
            continue
        if in_range(rng.get("events") or [], parsed):
            return True
    return False


def in_range(events: list[dict], v: Version) -> bool:
    """OSV's event walk: sort events by version, then open/close the affected interval."""
    keyed = []
    for ev in events:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in ev:
                val = str(ev[kind])
                if kind == "introduced" and val == "0":
                    keyed.append(((0,), kind, None))
                else:
                    pv = _parse(val)
                    if pv is None:
                        continue  # an event PEP 440 cannot order does not take part
                    keyed.append(((1, pv), kind, pv))
    keyed.sort(key=lambda x: x[0])
    hit = False
    for _, kind, pv in keyed:
        if kind == "introduced":
            if pv is None or v >= pv:
                hit = True
        elif kind == "fixed":
            if v >= pv:
                hit = False
        elif kind == "last_affected":
            if v > pv:
                hit = False
    return hit


class Handler(BaseHTTPRequestHandler):
    index: Index

    def log_message(self, fmt, *args):  # quiet
        pass

    def _send(self, code: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802
        n = int(self.headers.get("Content-Length") or 0)
        try:
            q = json.loads(self.rfile.read(n) or b"{}")
        except ValueError:
            return self._send(400, {"message": "invalid JSON"})
        if self.path.rstrip("/") == "/v1/query":
            return self._send(200, self.answer(q))
        if self.path.rstrip("/") == "/v1/querybatch":
            return self._send(200, {"results": [
                {"vulns": [{"id": r["id"], "modified": r.get("modified", "")} for r in self.answer(x).get("vulns", [])]}
                for x in q.get("queries", [])]})
        self._send(404, {"message": "not found"})

    def answer(self, q: dict) -> dict:
        pkg = q.get("package") or {}
        name, eco, version = pkg.get("name"), pkg.get("ecosystem"), q.get("version")
        if not name or not eco or version is None:
            return {}
        hits = self.index.query(eco, name, str(version))
        return {"vulns": hits} if hits else {}

    def do_GET(self):  # noqa: N802
        if self.path == "/health":
            return self._send(200, {"records": self.index.count, "withdrawn": self.index.withdrawn})
        self._send(404, {"message": "not found"})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--data", required=True, help="directory of OSV records (YAML or JSON)")
    s.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    s.add_argument("--port-file", help="write the port here once the server listens")
    q = sub.add_parser("query")
    q.add_argument("--data", required=True)
    q.add_argument("--ecosystem", default="PyPI")
    q.add_argument("name")
    q.add_argument("version")
    a = ap.parse_args()

    index = Index(load_records(a.data))
    if a.cmd == "query":
        for rec in index.query(a.ecosystem, a.name, a.version):
            print(rec["id"], " ".join(rec.get("aliases") or []))
        return 0
    Handler.index = index
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    port = srv.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as fh:
            fh.write(f"{port}\n")
        os.replace(tmp, a.port_file)
    print(f"osv_shim: {index.count} records ({index.withdrawn} withdrawn skipped) on http://127.0.0.1:{port}/v1/query",
          file=sys.stderr, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
