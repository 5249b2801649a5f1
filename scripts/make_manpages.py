"""Write the manual pages of the ``arhiva`` command, docs/man/arhiva.1 and arhiva-COMMAND.1,
from its click commands: their help, options, examples and exit status.

    python scripts/make_manpages.py            # write docs/man/ anew
    python scripts/make_manpages.py --check    # exit 1, naming them, if the pages are out of date

The pages carry no date or version, so that the same commands always give the
same pages. Read one with ``man -l docs/man/arhiva-search.1``.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arhiva.cli import EPILOG_EXIT, cli  # noqa: E402

MAN_DIR = ROOT / "docs" / "man"
ENVIRONMENT = [
    ("ARHIVA_HOME", "The archive folder, when --archive is not given (else ~/.local/share/arhiva)."),
    ("NO_COLOR", "When set to anything but the empty string, no colours are printed (unless --color always)."),
    ("TERM", "When dumb, no colours are printed (unless --color always)."),
    ("_ARHIVA_COMPLETE", "bash_source, zsh_source or fish_source: print the shell completion script "
                         "(see docs/cli.md)."),
]


def escape(text: str) -> str:
    """Text made safe for roff: backslashes, dashes, and a dot or quote opening a line.

    >>> escape(".dot -x a\\\\b")
    '\\\\&.dot \\\\-x a\\\\eb'
    """
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text


def paragraphs(help_text: str) -> list[str]:
    """A command's help as roff: plain paragraphs filled, those marked with click's \\b kept as written."""
    out: list[str] = []
    for block in inspect.cleandoc(help_text).split("\n\n"):
        lines = block.split("\n")
        if lines[0].strip() == "\b":
            out += [".PP", ".nf", *(escape(line) for line in lines[1:] if line.strip() != "\b"), ".fi"]
        elif block.strip():
            out += [".PP", escape(" ".join(line.strip() for line in lines))]
    return out


def page(command: click.Command, ctx: click.Context) -> str:
    """The manual page of one command (or of the group, listing its commands)."""
    name = ctx.command_path
    short = command.get_short_help_str(limit=80)
    lines = [f'.TH "{name.upper().replace(" ", "-")}" "1" "" "arhiva" "arhiva manual"',
             ".SH NAME", f"{escape(name).replace(' ', '-')} \\- {escape(short)}",
             ".SH SYNOPSIS", f".B {escape(name)}", escape(" ".join(command.collect_usage_pieces(ctx))),
             ".SH DESCRIPTION", *paragraphs(command.help or "")]
    options = [p.get_help_record(ctx) for p in command.get_params(ctx) if isinstance(p, click.Option)]
    options = [record for record in options if record]
    if options:
        lines.append(".SH OPTIONS")
        for names, help_text in options:
            first, _, rest = names.partition(" ")
            lines += [".TP", f"\\fB{escape(first)}\\fR{' ' + escape(rest) if rest else ''}", escape(help_text)]
    if isinstance(command, click.Group):
        lines.append(".SH COMMANDS")
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                lines += [".TP", f"\\fB{escape(sub_name)}\\fR", escape(sub.get_short_help_str(limit=80)),
                          f"See \\fBarhiva\\-{escape(sub_name)}\\fR(1)."]
        lines.append(".SH ENVIRONMENT")
        for var, meaning in ENVIRONMENT:
            lines += [".TP", f"\\fB{escape(var)}\\fR", escape(meaning)]
    lines.append(".SH EXIT STATUS")
    lines += paragraphs(EPILOG_EXIT)
    if not isinstance(command, click.Group):
        lines += [".SH SEE ALSO", "\\fBarhiva\\fR(1)"]
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """Every manual page, by file name."""
    root = click.Context(cli, info_name="arhiva")
    found = {"arhiva.1": page(cli, root)}
    for name in cli.list_commands(root):
        command = cli.get_command(root, name)
        if command is not None and not command.hidden:
            found[f"arhiva-{name}.1"] = page(command, click.Context(command, info_name=name, parent=root))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with docs/man/ instead of writing it")
    parser.add_argument("--out", type=Path, default=MAN_DIR, help="the folder of the pages (default docs/man)")
    args = parser.parse_args(argv)
    wanted = pages()
    if args.check:
        present = {p.name for p in args.out.glob("*.1")} if args.out.is_dir() else set()
        stale = sorted(name for name, text in wanted.items()
                       if not (args.out / name).is_file() or (args.out / name).read_text("utf-8") != text)
        stale += sorted(present - set(wanted))
        if stale:
            print(f"out of date in {args.out}: {', '.join(stale)}; run: python scripts/make_manpages.py")
            return 1
        print(f"{len(wanted)} manual pages up to date")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.1"):
        if old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        (args.out / name).write_text(text, "utf-8")
    print(f"wrote {len(wanted)} manual pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
