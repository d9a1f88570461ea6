#!/usr/bin/env python3
"""Extract (menu, property) pairs from RouterOS 6.x /export files.

Usage: extract_v6_properties.py CORPUS_DIR [--major 6|7]

Reads every *.rsc file in CORPUS_DIR whose header says "RouterOS <major>.x"
(e.g. "# mar/17/2022 21:00:02 by RouterOS 6.48.4" or "# RouterOS 6.48.3"),
and prints one TSV line "menu<TAB>property<TAB>corpus" for every property
used on an `add` or `set` command, sorted and de-duplicated.

Export syntax handled:
  * a menu line (`/ip ipsec peer`) followed by `add ...` / `set ...` lines,
    or the terse form with the menu on every line (`/ip ipsec peer add ...`);
  * line continuation: a trailing backslash + newline + 4 spaces;
  * values quoted with "..." (may contain spaces and \\" escapes);
  * positional arguments (`[ find default=yes ]`, item numbers, item names)
    before the first prop=value are ignored;
  * bare flags after the first prop=value and `!prop` (unset) count as
    properties.
Only the standard library is used.
"""
import os
import re
import sys

COMMANDS = {"add", "set"}
# Other commands that may follow a menu path; their arguments are ignored.
OTHER_COMMANDS = {"remove", "enable", "disable", "unset", "print", "move",
                  "comment", "edit", "export", "import", "reset"}
VERSION_RE = re.compile(r"RouterOS (\d+)\.\d+")


def router_os_major(path):
    """Return the RouterOS major version named in the file's header, or None."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.startswith("#"):
                break
            m = VERSION_RE.search(line)
            if m:
                return int(m.group(1))
    return None


def logical_lines(text):
    """Join export continuation lines (backslash + newline + 4 spaces)."""
    out, buf = [], ""
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if buf:
            # Remove exactly the 4-space continuation indent.
            line = line[4:] if line.startswith("    ") else line.lstrip()
        if line.endswith("\\") and not line.endswith("\\\\"):
            buf += line[:-1]
            continue
        out.append(buf + line)
        buf = ""
    if buf:
        out.append(buf)
    return out


def tokenize(line):
    """Split a command line on spaces, keeping "..." strings and [ ... ] /
    { ... } groups together."""
    tokens, cur, i, n = [], "", 0, len(line)
    depth, in_quote = 0, False
    while i < n:
        c = line[i]
        if in_quote:
            cur += c
            if c == "\\" and i + 1 < n:
                cur += line[i + 1]
                i += 1
            elif c == '"':
                in_quote = False
        elif c == '"':
            in_quote = True
            cur += c
        elif c in "[{":
            depth += 1
            cur += c
        elif c in "]}":
            depth = max(0, depth - 1)
            cur += c
        elif c == " " and depth == 0:
            if cur:
                tokens.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    if cur:
        tokens.append(cur)
    return tokens


def command_properties(args):
    """Property names used in the arguments of one add/set command."""
    props, seen_kv = [], False
    for tok in args:
        if tok.startswith("[") or tok.startswith("{"):
            continue  # positional selector such as [ find default=yes ]
        m = re.match(r"^!?([A-Za-z0-9][A-Za-z0-9.\-/]*)=", tok)
        if m:
            props.append(m.group(1))
            seen_kv = True
            continue
        m = re.match(r"^!([A-Za-z0-9][A-Za-z0-9.\-]*)$", tok)
        if m:
            props.append(m.group(1))  # !prop unsets a property
            seen_kv = True
            continue
        if seen_kv and re.match(r"^[a-z][a-z0-9\-]*$", tok):
            props.append(tok)  # bare flag, e.g. `passive`
        # Anything else before the first prop=value is a positional
        # argument (item number or item name) and is ignored.
    return props


def add_set_commands(text):
    """Yield (menu, argument tokens) for every add/set command of an export."""
    menu = None
    for line in logical_lines(text):
        s = line.strip()
        if not s or s.startswith("#") or s.startswith(":"):
            continue
        tokens = tokenize(s)
        if tokens[0].startswith("/"):
            # Menu path: words up to the first command word.
            path_words = [tokens[0]]
            rest = tokens[1:]
            while rest and rest[0] not in COMMANDS | OTHER_COMMANDS \
                    and "=" not in rest[0] and not rest[0].startswith("["):
                path_words.append(rest[0])
                rest = rest[1:]
            menu = " ".join(path_words)
            tokens = rest
            if not tokens:
                continue
        if menu is None or tokens[0] not in COMMANDS:
            continue
        yield menu, tokens[1:]


def extract(path):
    pairs = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for menu, args in add_set_commands(text):
        for prop in command_properties(args):
            pairs.add((menu, prop))
    return pairs


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    corpus = argv[1]
    major = 6
    if len(argv) >= 4 and argv[2] == "--major":
        major = int(argv[3])
    pairs = set()
    for name in sorted(os.listdir(corpus)):
        if not name.endswith(".rsc"):
            continue
        path = os.path.join(corpus, name)
        if router_os_major(path) != major:
            continue
        pairs |= extract(path)
    for menu, prop in sorted(pairs):
        print("%s\t%s\tcorpus" % (menu, prop))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
