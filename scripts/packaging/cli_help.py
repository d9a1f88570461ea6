"""Reads the command tree of a built vpnaas from its CLI11 --help output.

Every command is found by running `vpnaas <path> --help` and following its
"Subcommands:" section, so nothing here names a command: the man page and the
completions made from this tree follow the binary.
"""

import dataclasses
import os
import re
import subprocess


@dataclasses.dataclass
class Option:
    names: list          # ["-i", "--inventory"]
    value: str           # "TEXT", "UINT:INT in [1 - 1000]"; "" for a flag
    choices: list        # ["text", "json"] for TEXT:{text,json}
    default: str
    repeatable: bool
    required: bool
    description: str


@dataclasses.dataclass
class Command:
    path: list           # [] for vpnaas itself, ["mesh", "generate"]
    description: str
    usage: str           # what --help's Usage line shows after the command words
    positionals: list = dataclasses.field(default_factory=list)
    options: list = dataclasses.field(default_factory=list)
    subcommands: list = dataclasses.field(default_factory=list)

    @property
    def name(self):
        return " ".join(["vpnaas"] + self.path)


def _split_depth_zero(text, separator):
    """Splits at the last `separator` outside {} and [] (a default follows the check)."""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        c = text[i]
        if c in "}]":
            depth += 1
        elif c in "{[":
            depth -= 1
        elif c == separator and depth == 0:
            return text[:i], text[i + 1:]
    return text, ""


def _parse_entry(spec, description):
    """One line of Options: or Positionals:, e.g. "--format TEXT:{text,json}=text"."""
    names, _, rest = spec.partition(" ")
    rest = rest.strip()
    required = rest.endswith("REQUIRED")
    rest = rest.removesuffix("REQUIRED").strip()
    repeatable = rest.endswith("...")
    rest = rest.removesuffix("...").strip()
    value, default = _split_depth_zero(rest, "=")
    choices = []
    match = re.fullmatch(r"[A-Z]+:\{(.*)\}", value)
    if match:
        choices = match.group(1).split(",")
    return Option(names.split(","), value, choices, default, repeatable, required, description)


def _is_continuation(line, width):
    return line.startswith(" " * width) and bool(line.strip())


def _entries(lines, width):
    """(spec, description) pairs of one section.

    CLI11 pads a spec to `width` columns and writes the description after it,
    or, when the spec is too long for that, alone on its line with the
    description on the next, indented by `width`.
    """
    lines = [line for line in lines if line.strip()]
    entries = []
    for i, line in enumerate(lines):
        if _is_continuation(line, width) and entries:
            spec, description = entries[-1]
            text = line[width:].strip()
            entries[-1] = (spec, f"{description}\n{text}" if description else text)
            continue
        padded = line[:width].endswith("  ")
        next_continues = i + 1 < len(lines) and _is_continuation(lines[i + 1], width)
        if len(line) > width and line[width - 1] == " " and (padded or not next_continues):
            entries.append((line[:width].strip(), line[width:].strip()))
        else:
            entries.append((line.strip(), ""))
    return entries


def parse_help(text, path):
    lines = text.splitlines()
    usage_at = next(i for i, line in enumerate(lines) if line.startswith("Usage: "))
    description = "\n".join(lines[:usage_at]).strip()
    usage_words = lines[usage_at].split()[2:]
    # A mistyped command makes CLI11 print its parent's help: refuse it rather
    # than document the parent twice.
    if usage_words[:len(path)] != path:
        raise ValueError(f"`{' '.join(path)} --help` printed the help of {lines[usage_at]!r}")
    command = Command(path, description, " ".join(usage_words[len(path):]))

    sections = {}
    current = None
    for line in lines[usage_at + 1:]:
        if re.fullmatch(r"[A-Z][A-Za-z ]*:", line):
            current = sections.setdefault(line[:-1], [])
        elif current is not None:
            current.append(line)
    # CLI11 starts descriptions in one column; -h,--help is always there to find it.
    help_line = next(line for line in sections["Options"] if "--help" in line)
    width = re.match(r"  \S+\s+", help_line).end()

    for spec, text in _entries(sections.get("Positionals", []), width):
        command.positionals.append(_parse_entry(spec, text))
    for spec, text in _entries(sections.get("Options", []), width):
        command.options.append(_parse_entry(spec, text))
    command.subcommands = [name for name, _ in _entries(sections.get("Subcommands", []), width)]
    return command


def run(cli, args):
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run([cli] + args, check=True, capture_output=True, text=True,
                          env=env).stdout


def walk(cli, path=None):
    """The command at `path` with its subcommands replaced by their Commands, recursively."""
    path = path or []
    command = parse_help(run(cli, path + ["--help"]), path)
    command.subcommands = [walk(cli, path + [name]) for name in command.subcommands]
    return command


def all_commands(command):
    yield command
    for sub in command.subcommands:
        yield from all_commands(sub)
