#!/usr/bin/env python3
"""Writes vpnaas.1, vpnaas.1.gz, vpnaas.bash and _vpnaas into --out from the
--help of the built CLI given as --cli (the build's vpnaas_cli_docs target)."""

import argparse
import gzip
import pathlib
import sys

# The build must not leave __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import bash_completion  # noqa: E402
import cli_help  # noqa: E402
import man_page  # noqa: E402
import zsh_completion  # noqa: E402


def write(path, text):
    # Through a temporary name, so an interrupted build leaves no half file
    # that ninja would take as up to date.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cli", required=True, help="the built vpnaas binary")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="output folder")
    args = parser.parse_args()

    root = cli_help.walk(args.cli)
    version = cli_help.run(args.cli, ["--version"]).strip()
    args.out.mkdir(parents=True, exist_ok=True)
    man = man_page.render(root, version)
    write(args.out / "vpnaas.1", man)
    # mtime 0 and no file name inside: the same page gives the same bytes,
    # as Debian wants of compressed man pages.
    tmp = args.out / "vpnaas.1.gz.tmp"
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                               compresslevel=9, mtime=0) as gz:
        gz.write(man.encode("utf-8"))
    tmp.replace(args.out / "vpnaas.1.gz")
    write(args.out / "vpnaas.bash", bash_completion.render(root))
    write(args.out / "_vpnaas", zsh_completion.render(root))


if __name__ == "__main__":
    main()
