#!/usr/bin/env python3
"""Check proposals/responses.yaml against proposals/proposals.yaml.

Errors (exit status 1):
  - a leaf proposal (level != subsection) missing from responses.yaml, or an id that is not a leaf;
  - a proposal without exactly the three Budgets 2024-25, 2025-26, 2026-27, in that order;
  - a status outside the seven allowed;
  - a status that asserts something happened (implemented, partly_implemented, related_action,
    pre_existing, rejected) without a source; any source without a document or an http(s) URL;
  - an empty English or Chinese summary, or a Chinese summary with no CJK characters or with
    simplified-only characters (the summaries are Traditional Chinese);
  - an entry date that is not an ISO date, falls before its Budget's date or on/after the next
    Budget's date (an entry covers its Budget's year); a source date that is not an ISO date;
  - a 2024-25 status that differs from government_response.status in proposals.yaml;
  - with --shared DIR (default ../shared next to the repository, if present): a URL that appears
    nowhere under DIR/data, other than the original of a mirror or proxy found there.

Prints counts by status per Budget and the share of sources on official (gov.hk) domains, for
responses.yaml and for the catalogue's government_response.sources.

Usage: python3 tools/check_responses.py [--shared DIR] [--list-unofficial]
"""

import argparse
import datetime as dt
import os
import re
import sys
from collections import Counter, OrderedDict
from urllib.parse import urlparse

import yaml

STATUSES = [
    "implemented",
    "partly_implemented",
    "related_action",
    "pre_existing",
    "not_adopted",
    "rejected",
    "no_evidence_found",
]
ABSENCE = {"not_adopted", "no_evidence_found"}
BUDGETS = OrderedDict(
    [
        ("2024-25", dt.date(2024, 2, 28)),
        ("2025-26", dt.date(2025, 2, 26)),
        ("2026-27", dt.date(2026, 2, 25)),
    ]
)
# Characters that exist only in simplified Chinese (their traditional forms differ). Not exhaustive:
# enough to catch a summary written or pasted in simplified characters.
SIMPLIFIED_ONLY = set(
    "这为发们会国说对时业经进与实务资开关计税财预额项场报区医疗费车门专优减规监测"
    "数证签纪录陆边检乐艺术节团议层审选择应该总统变动认识让则设还岁亿万现问题间钱买卖"
)
CJK = re.compile(r"[\u4e00-\u9fff]")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL_RE = re.compile(r"https?://[^\s\"',)>|\]]+")
# Mirrors and proxies in shared/ and the original each copies (same path on the original host).
MIRRORS = [
    ("https://www-ft-com.ezproxy.cul.columbia.edu/", "https://www.ft.com/"),
    ("https://sc.hkex.com.hk/TuniS/www.hkexgroup.com/", "https://www.hkexgroup.com/"),
    ("https://hanweb.kanhan.com/TuniS/www.info.gov.hk/", "https://www.info.gov.hk/"),
    ("https://scmp.sxfx.eu.org/", "https://www.scmp.com/"),
]


def official(url):
    host = (urlparse(url).hostname or "").lower()
    return host == "gov.hk" or host.endswith(".gov.hk")


def parse_date(s):
    if not isinstance(s, str) or not ISO.match(s):
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def shared_urls(root):
    found = set()
    for base, _, files in os.walk(os.path.join(root, "data")):
        for f in files:
            with open(os.path.join(base, f), encoding="utf-8", errors="replace") as fh:
                for u in URL_RE.findall(fh.read()):
                    found.add(u.rstrip(".;:"))
    originals = set()
    for u in found:
        for mirror, orig in MIRRORS:
            if u.startswith(mirror):
                originals.add(orig + u[len(mirror):])
    return found | originals


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    default_shared = os.path.join(os.path.dirname(repo), "shared")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--responses", default=os.path.join(repo, "proposals", "responses.yaml"))
    ap.add_argument("--catalogue", default=os.path.join(repo, "proposals", "proposals.yaml"))
    ap.add_argument("--shared", default=default_shared if os.path.isdir(default_shared) else None,
                    help="shared/ directory whose data/ every URL must come from (skipped if absent)")
    ap.add_argument("--list-unofficial", action="store_true",
                    help="list every non-official URL with the entries citing it")
    args = ap.parse_args()

    errors = []
    err = errors.append
    with open(args.catalogue, encoding="utf-8") as fh:
        cat = yaml.safe_load(fh)
    with open(args.responses, encoding="utf-8") as fh:
        res = yaml.safe_load(fh)

    leaves = OrderedDict(
        (p["id"], p) for p in cat["proposals"] if p.get("level") != "subsection"
    )
    responses = (res or {}).get("responses")
    if not isinstance(responses, dict):
        print("error: responses.yaml has no 'responses' mapping", file=sys.stderr)
        return 1
    for pid in leaves:
        if pid not in responses:
            err(f"{pid}: leaf proposal missing from responses.yaml")
    for pid in responses:
        if pid not in leaves:
            err(f"{pid}: not a leaf proposal of proposals.yaml")

    known = shared_urls(args.shared) if args.shared else None
    counts = {b: Counter() for b in BUDGETS}
    n_src = n_official = 0
    uniq = {}
    budget_list = list(BUDGETS)
    for pid, entries in responses.items():
        if not isinstance(entries, list):
            err(f"{pid}: expected a list of Budget entries")
            continue
        got = [e.get("budget") if isinstance(e, dict) else None for e in entries]
        if got != budget_list:
            err(f"{pid}: budgets are {got}, expected {budget_list} in that order")
        for k, e in enumerate(entries):
            if not isinstance(e, dict):
                continue
            b = e.get("budget")
            where = f"{pid} [{b}]"
            st = e.get("status")
            if st not in STATUSES:
                err(f"{where}: status {st!r} is not one of {', '.join(STATUSES)}")
            elif b in counts:
                counts[b][st] += 1
            d = parse_date(e.get("date"))
            if d is None:
                err(f"{where}: date {e.get('date')!r} is not an ISO date (YYYY-MM-DD)")
            elif b in BUDGETS:
                if d < BUDGETS[b]:
                    err(f"{where}: date {d} is before the Budget ({BUDGETS[b]})")
                nxt = budget_list.index(b) + 1
                if nxt < len(budget_list) and d >= BUDGETS[budget_list[nxt]]:
                    err(f"{where}: date {d} falls in the next Budget's year "
                        f"(from {BUDGETS[budget_list[nxt]]}); record it there")
            summ = e.get("summary") or {}
            en, zh = (summ.get("en") or "").strip(), (summ.get("zh") or "").strip()
            if not en:
                err(f"{where}: summary.en is empty")
            if not zh:
                err(f"{where}: summary.zh is empty")
            elif not CJK.search(zh):
                err(f"{where}: summary.zh has no Chinese characters")
            else:
                bad = sorted(set(zh) & SIMPLIFIED_ONLY)
                if bad:
                    err(f"{where}: summary.zh uses simplified characters {''.join(bad)}")
            srcs = e.get("sources")
            if srcs is None:
                srcs = []
            if not isinstance(srcs, list):
                err(f"{where}: sources must be a list")
                srcs = []
            if st in STATUSES and st not in ABSENCE and not srcs:
                err(f"{where}: status {st} asserts something happened and needs a source")
            for s in srcs:
                if not isinstance(s, dict):
                    err(f"{where}: source {s!r} must have document and url")
                    continue
                doc, url = (s.get("document") or "").strip(), (s.get("url") or "").strip()
                if not doc:
                    err(f"{where}: a source has no document")
                if not (url.startswith("http://") or url.startswith("https://")):
                    err(f"{where}: source url {url!r} is not an http(s) URL")
                    continue
                if "date" in s and parse_date(s.get("date")) is None:
                    err(f"{where}: source date {s.get('date')!r} is not an ISO date")
                if known is not None and url not in known:
                    err(f"{where}: {url} is not found under {args.shared}/data")
                n_src += 1
                n_official += official(url)
                uniq.setdefault(url, []).append(where)
        if entries and isinstance(entries[0], dict) and pid in leaves:
            cs = leaves[pid]["government_response"]["status"]
            if entries[0].get("budget") == "2024-25" and entries[0].get("status") != cs:
                err(f"{pid} [2024-25]: status {entries[0].get('status')} differs from "
                    f"proposals.yaml government_response.status {cs}")

    # The catalogue's own sources, for comparison.
    cat_urls = Counter()
    for p in cat["proposals"]:
        for u in p["government_response"].get("sources") or []:
            cat_urls[u] += 1

    print("Responses by status and Budget (leaf proposals):")
    width = max(len(s) for s in STATUSES)
    print("  " + "status".ljust(width) + "".join(f"{b:>9}" for b in BUDGETS))
    for s in STATUSES:
        print("  " + s.ljust(width) + "".join(f"{counts[b][s]:>9}" for b in BUDGETS))
    print("  " + "total".ljust(width) + "".join(f"{sum(counts[b].values()):>9}" for b in BUDGETS))
    share = lambda a, n: f"{a}/{n} ({100.0 * a / n:.0f}%)" if n else "0/0"
    u_off = sum(official(u) for u in uniq)
    print(f"Sources in responses.yaml on official gov.hk domains: {share(n_official, n_src)} of "
          f"citations, {share(u_off, len(uniq))} of distinct URLs")
    c_off = sum(official(u) for u in cat_urls)
    c_all = sum(cat_urls.values())
    c_off_all = sum(n for u, n in cat_urls.items() if official(u))
    print(f"Catalogue government_response.sources on official gov.hk domains: "
          f"{share(c_off_all, c_all)} of citations, {share(c_off, len(cat_urls))} of distinct URLs")
    if args.list_unofficial:
        print("Non-official URLs in responses.yaml:")
        for u, ws in sorted(uniq.items()):
            if not official(u):
                print(f"  {u}\n    cited by {', '.join(ws)}")
    if known is None:
        print("(shared/ not found: URLs were not checked against it)")
    if errors:
        print(f"\n{len(errors)} error(s):", file=sys.stderr)
        for x in errors:
            print("  " + x, file=sys.stderr)
        return 1
    print("OK: every leaf has three Budget entries and every check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
