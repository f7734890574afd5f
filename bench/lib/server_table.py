#!/usr/bin/env python3
"""Render bench/server.sh results as Markdown.

    server_table.py META.json SQLITE.json [POSTGRES.json]                 # print the section
    server_table.py --write BENCHMARKS.md META.json SQLITE.json [POSTGRES.json]

The section lives between `<!-- server:begin -->` and `<!-- server:end -->`; the rest of the file
is left as it is. Without the markers, the section is appended at the end of the file.
"""
from __future__ import annotations

import json
import os
import sys

BEGIN, END = "<!-- server:begin -->", "<!-- server:end -->"
INGEST_TARGET_S = 10.0
P95_TARGET_MS = 50.0
NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def s(x: float) -> str:
    return f"{x:.3f} s" if x < 1 else f"{x:.2f} s"


def ms(x: float) -> str:
    return f"{x:.1f}" if x < 100 else f"{x:.0f}"


def render(meta: dict, results: list[dict]) -> str:
    by = {r["backend"]: r for r in results}
    order = [b for b in ("sqlite", "postgres") if b in by]
    first = by[order[0]]
    st = first["settings"]
    out = [BEGIN, "## Platform server", ""]
    out.append(
        f"Measured {meta['date']} on {meta['nproc']} cores ({meta['cpu']}), {meta['ram_gib']} GiB, {meta['os']}; "
        f"`{meta['command']}` with {meta.get('gatehouse') or 'gatehouse'}, {meta.get('postgres', 'PostgreSQL')}, "
        f"{meta.get('wrk', 'wrk')} (Debian). Load average before the run {meta.get('load_before', 0):.1f}, "
        f"after it {meta.get('load_after', 0):.1f}. The server, the client and the database share the machine. "
        "Every request goes through HTTP to `gatehouse serve` on 127.0.0.1 with an API token "
        "(`gatehouse admin create-token`); SQLite is the server's own file (WAL, `synchronous = NORMAL`), "
        "PostgreSQL the throwaway local cluster of `.ci/postgres.sh` (its defaults, 128 MB shared buffers, "
        "but `fsync = off` as the script sets it for tests). Neither flushes to disk on each commit "
        "(SQLite's WAL with `synchronous = NORMAL` syncs at checkpoints), so commits cost alike; a "
        "PostgreSQL with `fsync` on pays one flush per upload more.")
    out.append("")

    # a) ingest
    out.append(f"### Ingest: {st['findings']:,} findings in one upload")
    out.append("")
    ing = first.get("ingest")
    if ing:
        out.append(
            f"One Gatehouse scan JSON report ({ing['body_bytes'] / 1e6:.0f} MB: code, dependency and secret "
            f"findings, so three scans) uploaded to a new project; then the same body again, which the "
            f"upload's digest recognises (nothing changes); then the same findings from another pipeline, "
            f"where every finding is unchanged and only its last scan moves. Wall time of the HTTP "
            f"request, which answers after the transaction committed; median of {len(ing['runs'])} runs "
            f"(min – max), each into its own project, while the database grows by the earlier runs.")
        out.append("")
        out.append("| backend | first upload (all new) | same body again | same findings, new pipeline | target |")
        out.append("| --- | ---: | ---: | ---: | --- |")
        for b in order:
            i = by[b].get("ingest")
            if not i:
                continue
            rng = lambda k: f"{s(i['median_' + k + '_s'])} ({s(min(r[k + '_s'] for r in i['runs']))} – {s(max(r[k + '_s'] for r in i['runs']))})"
            verdict = ""
            if b == "sqlite":
                verdict = ("meets" if i["median_first_s"] < INGEST_TARGET_S else "misses") + f" < {INGEST_TARGET_S:.0f} s"
            out.append(f"| {NAMES[b]} | {rng('first')} | {rng('duplicate')} | {rng('unchanged')} | {verdict} |")
        out.append("")

    # b) listing
    seed = first.get("seed")
    lat = {b: by[b].get("latency") for b in order}
    if seed and any(lat.values()):
        stored = st["stored"]
        tri = seed["triaged"]
        out.append(f"### Listing and filtering at {stored:,} stored findings")
        out.append("")
        sizes = meta.get("db_bytes", {})
        size_txt = ", ".join(f"{NAMES[b]} {sizes[b] / 1e9:.1f} GB" for b in order if b in sizes)
        out.append(
            f"Seeded through the API: the ingest runs' projects plus {seed['projects']} projects over 10 teams, "
            f"each with a first upload and a later complete one that fixes 45% of the first and adds new "
            f"findings ({seed['per_project']:,} per project; about a third of all findings end fixed), then "
            f"{tri['mitigated']:,} mitigations, {tri['false_positive']:,} approved false positives and "
            f"{tri['risk_accepted']:,} accepted risks. Findings are 60% code, 30% dependency and 10% secret "
            f"findings over 440 rules with a skewed distribution (the commonest rule has about 8% of the "
            f"findings); each rule has one severity (drawn 4/16/40/30/10 for critical/high/medium/low/info); "
            f"info findings have no ticket. Seeding took "
            + ", ".join(f"{NAMES[b]} {by[b]['seed']['seed_s']:.0f} s" for b in order if by[b].get('seed'))
            + (f"; database size after the run: {size_txt}." if size_txt else ".")
            + "".join(
                f" Then, on {NAMES[b]}, `{by[b]['seed']['after_seed']['command'].split(' -c ')[-1].strip(chr(39))}` "
                f"({by[b]['seed']['after_seed']['s']:.0f} s), the statistics autovacuum gathers in the minutes after "
                f"a bulk load; the listings are measured after it."
                for b in order if by[b].get("seed", {}).get("after_seed")))
        out.append("")
        out.append(
            f"Each shape is requested {st['warmup']} times untimed, then {st['requests']} times one after "
            f"the other on one keep-alive connection; p50 / p95 / p99 of the request's wall time in "
            f"milliseconds, as the client sees it. `limit={st['limit']}`. *first* is the first page, *page N* "
            f"the page reached by following `next_cursor` N−1 times (or the last page there is). The "
            f"developer's token acts for a person in two of the ten teams, so every listing is restricted "
            f"to those teams' projects.")
        out.append("")
        head = "| shape | page | items |" + "".join(f" {NAMES[b]} p50 | p95 | p99 |" for b in order)
        out.append(head)
        out.append("| --- | --- | ---: |" + " ---: | ---: | ---: |" * len(order))
        rows = {}
        for b in order:
            for r in lat[b] or []:
                key = (r["who"], r["shape"], str(r["page"]))
                rows.setdefault(key, {})[b] = r
        worst = {b: (0.0, "") for b in order}
        for (who, shape, page), per in rows.items():
            any_r = next(iter(per.values()))
            cells = ""
            for b in order:
                r = per.get(b)
                if not r:
                    cells += " – | – | – |"
                    continue
                p95 = ms(r["p95_ms"]) if r["p95_ms"] <= P95_TARGET_MS else f"**{ms(r['p95_ms'])}**"
                cells += f" {ms(r['p50_ms'])} | {p95} | {ms(r['p99_ms'])} |"
                if r["p95_ms"] > worst[b][0]:
                    worst[b] = (r["p95_ms"], f"{shape} ({'first page' if page == 'first' else 'page ' + page})")
            pg = "first" if page == "first" else f"page {page}"
            out.append(f"| {shape} | {pg} | {any_r['items']} |{cells}")
        out.append("")
        verdicts = []
        for b in order:
            w, where = worst[b]
            verdicts.append(f"{NAMES[b]}: the slowest p95 is {ms(w)} ms ({where}), "
                            + ("within" if w <= P95_TARGET_MS else "**over**") + f" the {P95_TARGET_MS:.0f} ms target")
        out.append("; ".join(verdicts) + ".")
        out.append("")

    # c) load
    loads = {b: by[b].get("load") for b in order if by[b].get("load")}
    if loads:
        l0 = next(iter(loads.values()))
        out.append("### Sustained mixed load")
        out.append("")
        out.append(
            f"`wrk -t {l0['threads']} -c C -d {l0['duration_s']}s` with a Lua script "
            f"(bench/work/server/BACKEND/wrk-mix.lua after a run): an administrator's token; one request in "
            f"{l0['upload_every']} is a small upload ({l0['upload_findings']} findings, a new pipeline each "
            f"time, so a real write transaction), the rest pick at random among {l0['read_paths']} reads: "
            f"findings and tickets listings with filters (`limit=50`), ticket detail (with its history, "
            f"requests and comments), project detail and the project list. Same {stored:,}-finding databases "
            f"as above. Latency percentiles are wrk's, over every request of the run.")
        out.append("")
        out.append("| backend | connections | requests/s | p50 ms | p90 ms | p99 ms | errors |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for b, l in loads.items():
            for lv in l["levels"]:
                err = lv["status_errors"] + lv["timeouts"] + lv["read_errors"] + lv["connect_errors"] + lv["write_errors"]
                out.append(f"| {NAMES[b]} | {lv['connections']} | {lv['rps']:,.0f} | {ms(lv['p50_us'] / 1000)} | "
                           f"{ms(lv['p90_us'] / 1000)} | {ms(lv['p99_us'] / 1000)} | {err} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def main(argv: list[str]) -> None:
    target = None
    if argv and argv[0] == "--write":
        target, argv = argv[1], argv[2:]
    meta = json.load(open(argv[0]))
    results = [json.load(open(p)) for p in argv[1:] if os.path.exists(p)]
    text = render(meta, results)
    if target is None:
        print(text)
        return
    doc = open(target).read() if os.path.exists(target) else "# Benchmarks\n"
    if BEGIN in doc and END in doc:
        pre, rest = doc.split(BEGIN, 1)
        post = rest.split(END, 1)[1]
        doc = pre + text + post
    else:
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    open(target, "w").write(doc)


if __name__ == "__main__":
    main(sys.argv[1:])
