#!/usr/bin/env python3
"""Regenerate the embedded CJK font subset of hkbudget's chart renderer.

Usage (from anywhere; needs Python 3 and fontTools, `pip install fonttools`):

    python3 tools/font/subset.py PATH/TO/NotoSansCJK-Regular.ttc \
        [--font-number N] [--repo /work/main] [--shared /work/shared/data] \
        [--out-dir crates/hkb-report/assets/fonts] \
        [--debian-copyright PATH/TO/usr/share/doc/fonts-noto-cjk/copyright]

The original font comes from Debian's `fonts-noto-cjk` package, which is NOT
installed system-wide for this (the test machines must stay without a CJK font):

    apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb x
    python3 tools/font/subset.py x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
        --debian-copyright x/usr/share/doc/fonts-noto-cjk/copyright

What it does:
  1. builds the character set (rules below) and writes OUT_DIR/chars.txt
     (one UTF-8 line, sorted by code point, no newline);
  2. runs the fontTools subsetter on the "Noto Sans CJK TC" face of the
     collection (found by the name table unless --font-number is given) and
     writes OUT_DIR/NotoSansTC-hkbudget-subset.otf;
  3. checks that every character of chars.txt is in the subset's cmap and
     prints counts, size and SHA-256;
  4. with --debian-copyright, writes OUT_DIR/OFL.txt from the package's
     copyright file (the font's copyright notice plus the SIL OFL 1.1 text).

Character set (characters the original face lacks are dropped and listed):
  * printable ASCII U+0020-U+007E and Latin-1 U+00A0-U+00FF;
  * common punctuation and symbols (EXTRA_SYMBOLS below: dashes, quotes,
    bullet, ellipsis, primes, arrows, minus, <=, >=, approx, ...);
  * CJK symbols and punctuation U+3000-U+303F, full-width forms U+FF01-U+FF5E
    and U+FFE0-U+FFE6, katakana middle dot U+30FB;
  * every Han character (Unicode name "CJK UNIFIED IDEOGRAPH-*" or
    "CJK COMPATIBILITY IDEOGRAPH-*") in the *.yaml, *.yml, *.rs, *.md, *.csv,
    *.ts, *.json files under --repo and --shared (recursively, skipping
    target/ and .git/), plus any other non-ASCII character found there that
    the original face has (Greek letters, box drawing, kana, ...);
  * the Big5 level-1 frequent characters: every code 0xA440-0xC67E decoded
    with Python's "big5" codec (undecodable codes skipped; 5,401 characters).

The output is deterministic for a given original font, fontTools version and
scanned tree (the subsetter keeps the original head.modified timestamp).
"""
import argparse
import hashlib
import os
import re
import shlex
import sys
import unicodedata

from fontTools import subset as ftsubset
from fontTools.ttLib import TTCollection, TTFont

OUT_NAME = "NotoSansTC-hkbudget-subset.otf"
FAMILY = "Noto Sans CJK TC"
SCAN_EXTS = (".yaml", ".yml", ".rs", ".md", ".csv", ".ts", ".json")
SKIP_DIRS = {"target", ".git"}

EXTRA_SYMBOLS = (
    "\u2010\u2011\u2012\u2013\u2014\u2015"  # hyphen, nb-hyphen, figure dash, en, em, bar
    "\u2016\u2018\u2019\u201a\u201c\u201d\u201e"  # double bar, quotes
    "\u2020\u2021\u2022\u2025\u2026\u2027\u2030"  # daggers, bullet, two-dot, ellipsis, hyph. point, per mille
    "\u2032\u2033\u2035\u2039\u203a\u203b\u203e"  # primes, single guillemets, reference mark, overline
    "\u20ac\u2103\u2116\u2122"  # euro, degree Celsius, numero, trade mark
    "\u2190\u2191\u2192\u2193\u2194\u21d2\u21d4"  # arrows
    "\u2212\u2213\u2215\u221a\u221e\u2248\u2260\u2261\u2264\u2265"  # math
    "\u25a0\u25a1\u25b2\u25b3\u25bc\u25bd\u25cb\u25cf"  # squares, triangles, circles
)

# OpenType script.langsys kept: the default ones plus Traditional Chinese (ZHT)
# and Hong Kong (ZHH), so `locl` gives HK glyph forms for text tagged zh-HK;
# the JAN/KOR/ZHS forms would double the file and are dropped.
LAYOUT_SCRIPTS = ",".join(
    f"{script}.{lang}"
    for script in ("DFLT", "latn", "grek", "cyrl", "hani", "kana")
    for lang in (("dflt",) if script in ("DFLT", "cyrl") else ("dflt", "ZHT", "ZHH")))

RANGES = [
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00FF),  # Latin-1 punctuation, symbols and letters
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF01, 0xFF5E),  # full-width ASCII forms
    (0xFFE0, 0xFFE6),  # full-width cent, pound, not, macron, broken bar, yen, won
    (0x30FB, 0x30FB),  # katakana middle dot
]


def is_han(c):
    return unicodedata.name(c, "").startswith(
        ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def scan_tree(root):
    """Non-ASCII characters in the text files under root."""
    found = set()
    nfiles = 0
    if not os.path.isdir(root):
        print(f"warning: {root} is not a directory, not scanned", file=sys.stderr)
        return found, 0
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS)
        for f in sorted(files):
            if f.endswith(SCAN_EXTS):
                with open(os.path.join(d, f), "rb") as fh:
                    text = fh.read().decode("utf-8", "replace")
                nfiles += 1
                found.update(c for c in text if ord(c) > 0x7E and c != "\ufffd")
    return found, nfiles


def big5_level1():
    chars = []
    for code in range(0xA440, 0xC67F):
        try:
            chars.append(code.to_bytes(2, "big").decode("big5"))
        except UnicodeDecodeError:
            pass
    return chars


def find_face(path, wanted):
    if not path.lower().endswith((".ttc", ".otc")):
        return None
    coll = TTCollection(path, lazy=True)
    for i, font in enumerate(coll.fonts):
        if font["name"].getDebugName(1) == wanted:
            return i
    sys.exit(f"no face with family {wanted!r} in {path}")


def ofl_from_debian_copyright(path, notice):
    """The 'License: SIL-1.1' paragraph of a Debian copyright file, de-indented."""
    lines = open(path, encoding="utf-8").read().splitlines()
    # the stand-alone paragraph, not the "License:" line of a "Files:" stanza
    starts = [i for i, line in enumerate(lines[:-1])
              if line == "License: SIL-1.1" and lines[i + 1].startswith(" ")]
    if not starts:
        sys.exit(f"no stand-alone 'License: SIL-1.1' paragraph in {path}")
    start = starts[0]
    body = []
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        body.append("" if line == " ." else line[1:])
    while body and not body[-1]:
        body.pop()
    # the Copyright line of the "Files: *" stanza, i.e. of the upstream fonts
    stanza = lines.index("Files: *") if "Files: *" in lines else None
    if stanza is not None:
        for line in lines[stanza + 1:]:
            if line.startswith("Copyright:"):
                notice += ("\n" + line[len("Copyright:"):].strip().replace(", ", " ", 1)
                           .join(["Copyright ", " (Debian fonts-noto-cjk copyright file, Files: *)"]))
                break
            if not line:
                break
    return notice + "\n\n" + "\n".join(body) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo_default = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("font", help="original font (.ttc collection or single .otf)")
    ap.add_argument("--font-number", type=int, default=None,
                    help=f"face index in the collection (default: the face named {FAMILY!r})")
    ap.add_argument("--repo", default=repo_default, help="repository to scan (default: %(default)s)")
    ap.add_argument("--shared", default="/work/shared/data", help="shared data to scan (default: %(default)s)")
    ap.add_argument("--out-dir", default=os.path.join(repo_default, "crates", "hkb-report", "assets", "fonts"))
    ap.add_argument("--debian-copyright", default=None,
                    help="usr/share/doc/fonts-noto-cjk/copyright of the package, to write OFL.txt")
    args = ap.parse_args()

    index = args.font_number if args.font_number is not None else find_face(args.font, FAMILY)
    orig = TTFont(args.font, fontNumber=index if index is not None else -1, lazy=True)
    family = orig["name"].getDebugName(1)
    orig_cmap = orig.getBestCmap()
    print(f"original: {args.font} index {index}: {family}, "
          f"{len(orig.getGlyphOrder())} glyphs, {len(orig_cmap)} code points")

    # 1. character set
    wanted = set()
    for lo, hi in RANGES:
        wanted.update(chr(c) for c in range(lo, hi + 1))
    wanted.update(EXTRA_SYMBOLS)
    scanned = set()
    for root in (args.repo, args.shared):
        found, nfiles = scan_tree(root)
        han = {c for c in found if is_han(c)}
        print(f"scanned {root}: {nfiles} files, {len(han)} Han, {len(found - han)} other non-ASCII")
        scanned |= found
    scan_han = {c for c in scanned if is_han(c)}
    wanted |= scan_han
    scan_other = scanned - scan_han
    b5 = big5_level1()
    print(f"Big5 level 1 (0xA440-0xC67E): {len(b5)} characters")
    wanted.update(b5)

    # scanned non-Han extras are wanted only when the original face has them
    extras_absent = sorted(c for c in scan_other if ord(c) not in orig_cmap)
    wanted |= {c for c in scan_other if ord(c) in orig_cmap}
    absent = sorted(c for c in wanted if ord(c) not in orig_cmap)
    chars = sorted((c for c in wanted if ord(c) in orig_cmap), key=ord)
    if extras_absent:
        print("scanned characters the original face lacks (not requested): "
              + " ".join(f"U+{ord(c):04X}" for c in extras_absent))
    if absent:
        print("rule characters the original face lacks (dropped): "
              + " ".join(f"U+{ord(c):04X}" for c in absent))
    print(f"characters requested: {len(chars)} "
          f"(Han: {sum(map(is_han, chars))}, Han from the scan: {len(scan_han)})")

    os.makedirs(args.out_dir, exist_ok=True)
    chars_path = os.path.join(args.out_dir, "chars.txt")
    with open(chars_path, "w", encoding="utf-8", newline="") as fh:
        fh.write("".join(chars))

    # 2. subset; the code points go in a temporary --unicodes-file list
    uni_path = os.path.join(args.out_dir, ".unicodes.tmp")
    with open(uni_path, "w", encoding="ascii") as fh:
        fh.write("\n".join(f"U+{ord(c):04X}" for c in chars) + "\n")
    out_path = os.path.join(args.out_dir, OUT_NAME)
    argv = [args.font]
    if index is not None:
        argv.append(f"--font-number={index}")
    argv += [
        f"--unicodes-file={uni_path}",
        "--layout-features=kern,locl,ccmp,halt,palt",
        f"--layout-scripts={LAYOUT_SCRIPTS}",
        "--no-hinting",
        "--no-glyph-names",
        "--notdef-outline",
        "--name-IDs=*",
        "--drop-tables+=vhea,vmtx,VORG,BASE",
        f"--output-file={out_path}",
    ]
    print("pyftsubset " + " ".join(shlex.quote(a) for a in argv))
    ftsubset.main(argv)
    os.remove(uni_path)

    # 3. verify
    sub = TTFont(out_path)
    cmap = sub.getBestCmap()
    missing = [c for c in chars if ord(c) not in cmap]
    data = open(out_path, "rb").read()
    print(f"subset: {out_path}: {len(data)} bytes, {len(sub.getGlyphOrder())} glyphs, "
          f"{len(cmap)} code points, sha256 {hashlib.sha256(data).hexdigest()}")
    print(f"chars.txt: {len(chars)} characters, sha256 "
          f"{hashlib.sha256(''.join(chars).encode('utf-8')).hexdigest()}")
    if missing:
        print("MISSING from subset cmap: " + " ".join(f"U+{ord(c):04X}" for c in missing))

    # 4. licence
    if args.debian_copyright:
        notice = orig["name"].getDebugName(0) or ""
        with open(os.path.join(args.out_dir, "OFL.txt"), "w", encoding="utf-8") as fh:
            fh.write(ofl_from_debian_copyright(args.debian_copyright, notice))
        print("wrote OFL.txt")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
