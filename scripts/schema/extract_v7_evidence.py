#!/usr/bin/env python3
"""List the (menu, property) pairs that real RouterOS 7 exports use but
properties-v7.tsv does not give for that release.

Usage: extract_v7_evidence.py CORPUS_DIR PROPERTIES_V7_TSV

A real export is evidence that its router's release has every property it
writes: the community.routeros data behind properties-v7.tsv starts many
menus at 7.15, when it began tracking them, not when RouterOS got them.
Prints TSV lines "menu<TAB>property<TAB>release<TAB>source" (source: the
export's file name), sorted. vpnaas's schema (lib/data/routeros/
evidence-v7.tsv) takes each line as holding from that release up to the
next minor release. Exports use ".prop" for a property sharing the previous
dotted one's prefix ("configuration.country=... .mode=ap"); it is expanded.
Pairs from a line that is not a statement (two glued together) must be
left out by hand and explained in SOURCES.md.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_v6_properties import add_set_commands, command_properties  # noqa: E402

HEADER_RE = re.compile(r"RouterOS (\d+)\.(\d+)(?:\.(\d+))?")


def version(text):
    for line in text.split("\n"):
        if not line.startswith("#"):
            break
        m = HEADER_RE.search(line)
        if m:
            return tuple(int(g or 0) for g in m.groups())
    return None


def parse_version(s):
    parts = [int(p) for p in s.split(".")] + [0, 0]
    return tuple(parts[:3])


def load_table(path):
    facts = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            menu, prop, since, until, _kind = line.rstrip("\n").split("\t")
            facts.setdefault((menu, prop), []).append(
                (parse_version(since) if since else (7, 0, 0),
                 parse_version(until) if until else None))
    return facts


def holds(facts, pair, release):
    return any(since <= release and (until is None or release < until)
               for since, until in facts.get(pair, []))


def expand(props):
    out, prefix = [], ""
    for p in props:
        if p.startswith(".") and prefix:
            p = prefix + p
        elif "." in p:
            prefix = p.split(".", 1)[0]
        out.append(p)
    return out


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    facts = load_table(argv[2])
    rows = set()
    for name in sorted(os.listdir(argv[1])):
        if not name.endswith(".rsc"):
            continue
        with open(os.path.join(argv[1], name), encoding="utf-8", errors="replace") as f:
            text = f.read()
        release = version(text)
        if release is None or release[0] != 7:
            continue
        for menu, args in add_set_commands(text):
            for prop in expand(command_properties(args)):
                if not holds(facts, (menu, prop), release):
                    rel = ".".join(str(x) for x in (release if release[2] else release[:2]))
                    rows.add((menu, prop, rel, name))
    print("menu\tproperty\trelease\tsource")
    for row in sorted(rows):
        print("\t".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
