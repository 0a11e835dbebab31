#!/usr/bin/env python3
"""Copy the parameter tree with the top-level `reviewed:` blocks removed, and check it.

The `reviewed:` block (how far each node has been reviewed, and what changed) is new; binaries
built before the loader learns the key reject it as an unknown field. This script

1. checks every node file has exactly one well-formed `reviewed:` block (through / note / source,
   `through` written as the node's period kind: `2026/27`, `2026-27` or `2027-03-31`) and that some
   dated value (possibly `null`) is in force at `through`;
2. copies the tree to DEST (default /tmp/params-check) with each `reviewed:` block replaced by
   comment lines, so that line numbers in error messages still match the original files;
3. runs `BIN params check DEST` (default /work/snap/hkbudget-old) unless --no-check is given.

Usage: tools/strip_reviewed.py [--src DIR] [--dest DIR] [--bin PATH] [--no-check]
Exit code: 0 if the lint and the binary's check pass, 1 otherwise.
"""

import argparse
import datetime as dt
import pathlib
import re
import shutil
import subprocess
import sys

try:
    import yaml  # PyYAML, for the lint only
except ImportError:  # pragma: no cover
    yaml = None

REPO = pathlib.Path(__file__).resolve().parent.parent
MARKER = ".made-by-strip_reviewed"
THROUGH_FORMAT = {
    "year_of_assessment": re.compile(r"^\d{4}/\d{2}$"),
    "financial_year": re.compile(r"^\d{4}-\d{2}$"),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
}


def strip(text):
    """The file with its top-level `reviewed:` block turned into comment lines, and the count."""
    out, inside, blocks = [], False, 0
    for line in text.splitlines(keepends=True):
        top_level = line[:1] not in (" ", "\t", "\n", "\r", "#", "")
        if top_level:
            inside = line.startswith("reviewed:")
            blocks += inside
        if inside:
            out.append("# (reviewed: block removed for an older binary)\n")
        else:
            out.append(line)
    return "".join(out), blocks


def period_start(s, kind):
    """First day of a period bound written in a node file."""
    s = str(s).strip()
    if kind in ("year_of_assessment", "financial_year"):
        return dt.date(int(re.split(r"[/-]", s)[0]), 4, 1)
    return dt.date.fromisoformat(s[:10])


def period_last(s, kind):
    """Last day of a period bound used as `to:` (inclusive)."""
    s = str(s).strip()
    if kind in ("year_of_assessment", "financial_year"):
        return dt.date(int(re.split(r"[/-]", s)[0]) + 1, 3, 31)
    if "T" in s:  # `to: 2023-02-22T11:00` ends before that instant
        return dt.date.fromisoformat(s[:10]) - dt.timedelta(days=1)
    return dt.date.fromisoformat(s)


def lint(path, text):
    problems = []
    if yaml is None:
        return problems
    d = yaml.safe_load(text)
    r = d.get("reviewed")
    kind = d.get("period")
    if not isinstance(r, dict):
        return ["no `reviewed:` mapping"]
    if set(r) != {"through", "note", "source"}:
        problems.append(f"`reviewed:` keys are {sorted(r)}, expected through, note, source")
    through = str(r.get("through", ""))
    fmt = THROUGH_FORMAT.get(kind)
    if fmt is None or not fmt.match(through):
        problems.append(f"`reviewed.through: {through}` does not match period `{kind}`")
        return problems
    src = r.get("source") or {}
    if not isinstance(src, dict) or not src.get("document") or not str(src.get("url", "")).startswith("http"):
        problems.append("`reviewed.source` needs `document` and an http `url`")
    if set(src) - {"document", "url", "date"}:
        problems.append(f"`reviewed.source` has unknown keys {sorted(set(src) - {'document', 'url', 'date'})}")
    if not str(r.get("note", "")).strip():
        problems.append("`reviewed.note` is empty")
    # Some value (null counts: "not in force") must be in force at `through`.
    at = period_start(through, kind) if kind != "date" else dt.date.fromisoformat(through)
    covered = False
    for v in d.get("values", []):
        lo = period_start(v["from"], kind)
        hi = period_last(v["to"], kind) if v.get("to") is not None else None
        if lo <= at and (hi is None or at <= hi):
            covered = True
    if not covered:
        problems.append(f"no dated value is in force at `reviewed.through: {through}`")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default=str(REPO / "params"))
    ap.add_argument("--dest", default="/tmp/params-check")
    ap.add_argument("--bin", default="/work/snap/hkbudget-old")
    ap.add_argument("--no-check", action="store_true", help="only lint and copy")
    a = ap.parse_args()
    src, dest = pathlib.Path(a.src), pathlib.Path(a.dest)

    if dest.exists():
        if not (dest / MARKER).exists() and any(dest.iterdir()):
            sys.exit(f"{dest} exists and was not made by this script; refusing to overwrite it")
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    (dest / MARKER).write_text("copy of the parameter tree without `reviewed:` blocks\n")

    failures, files = [], 0
    for f in sorted(src.rglob("*.yaml")):
        text = f.read_text(encoding="utf-8")
        stripped, blocks = strip(text)
        rel = f.relative_to(src)
        if blocks != 1:
            failures.append(f"{rel}: {blocks} top-level `reviewed:` blocks (expected 1)")
        failures += [f"{rel}: {p}" for p in lint(rel, text)]
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(stripped, encoding="utf-8")
        files += 1
    print(f"copied {files} node files to {dest} without `reviewed:` blocks")
    for m in failures:
        print("reviewed:", m)
    if not failures:
        print("reviewed: every node has a well-formed block and a value in force at `through`")

    rc = 1 if failures else 0
    if not a.no_check:
        if not pathlib.Path(a.bin).exists():
            print(f"{a.bin} not found: run again when it has been built (or pass --no-check)")
            return 1
        p = subprocess.run([a.bin, "params", "check", str(dest)], capture_output=True, text=True)
        sys.stdout.write(p.stdout)
        sys.stderr.write(p.stderr)
        rc = rc or p.returncode
    return rc


if __name__ == "__main__":
    sys.exit(main())
