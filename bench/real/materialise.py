"""Recreate the real-document evaluation folder (docs/ + labels/) from its sources.

The labels in ``bench/real/labels/`` name each document's source:

- ``owner/repo@COMMIT:path`` — a file in a public GitHub repository, read with
  ``git --git-dir=MIRROR/owner+repo/... show COMMIT:path`` from a fetched mirror;
- ``owner/repo@COMMIT:archive.zip!member`` — a member of a zip file in such a repository;
- ``page:URL`` — a stored copy of a web page. Those texts cannot be rebuilt from a
  mirror: they are listed, and must be copied from an existing collection (``--from``).

The documents themselves are never committed to this repository. Every rebuilt file is
checked against ``SHA256SUMS`` beside this script.

    .venv/bin/python bench/real/materialise.py --mirror /work/.mirror --out /work/collected
    .venv/bin/python bench/real/materialise.py --out /tmp/real --from /work/collected
    .venv/bin/python bench/real/materialise.py --check /work/collected   # verify only
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels"
SUMS = HERE / "SHA256SUMS"


@dataclass(frozen=True)
class GitSource:
    """A file (or a zip member) at a commit of a GitHub repository."""

    repo: str
    commit: str
    path: str
    member: str | None = None


def parse_source(source: str) -> GitSource | str:
    """Split a label's ``source``; a ``page:`` source is returned as its URL.

    >>> parse_source("a/b@0123abcd:dir/f.pdf")
    GitSource(repo='a/b', commit='0123abcd', path='dir/f.pdf', member=None)
    >>> parse_source("a/b@0123abcd:x.zip!x/doc1").member
    'x/doc1'
    >>> parse_source("page:https://example.ro/a")
    'https://example.ro/a'
    """
    if source.startswith("page:"):
        return source[len("page:"):]
    repo, rest = source.split("@", 1)
    commit, path = rest.split(":", 1)
    member = None
    if "!" in path:
        path, member = path.split("!", 1)
    return GitSource(repo, commit, path, member)


def mirror_dir(mirror: Path, repo: str) -> Path | None:
    """The bare git directory of ``repo`` under a mirror folder (``owner+name/repo[/.git]``)."""
    base = mirror / repo.replace("/", "+")
    for cand in (base / "repo" / ".git", base / "repo", base):
        if (cand / "HEAD").exists() and (cand / "objects").exists():
            return cand
    return None


def read_git(gitdir: Path, src: GitSource) -> bytes:
    """The bytes of a git source (a zip member when ``src.member`` is set)."""
    data = subprocess.run(["git", f"--git-dir={gitdir}", "show", f"{src.commit}:{src.path}"],
                          check=True, capture_output=True).stdout
    if src.member is None:
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(src.member)


def read_sums(path: Path = SUMS) -> dict[str, str]:
    """``docs/NAME -> sha256`` from a ``sha256sum``-style file."""
    sums = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                digest, name = line.split(None, 1)
                sums[name.strip().lstrip("*")] = digest
    return sums


def load_labels(folder: Path = LABELS) -> dict[str, dict]:
    """Every label in ``folder``, by file stem."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"),
                    help="folder of fetched bare git mirrors (owner+name/...)")
    ap.add_argument("--out", type=Path, help="folder to fill with docs/ and labels/")
    ap.add_argument("--from", dest="copy_from", type=Path,
                    help="existing collection to copy page texts (and missing files) from")
    ap.add_argument("--check", type=Path, help="only verify an existing collection against SHA256SUMS")
    ap.add_argument("--split", choices=["dev", "holdout", "all"], default="all")
    args = ap.parse_args(argv)

    labels = load_labels()
    sums = read_sums()
    if args.split != "all":
        labels = {k: v for k, v in labels.items() if v.get("split") == args.split}

    if args.check:
        bad = 0
        for name, lab in labels.items():
            f = args.check / lab["file"]
            got = hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else "missing"
            if got != sums.get(lab["file"]):
                bad += 1
                print(f"MISMATCH {lab['file']}: {got}")
        print(f"{len(labels) - bad}/{len(labels)} files match SHA256SUMS")
        return 1 if bad else 0

    if args.out is None:
        ap.error("--out is required (or --check)")
    (args.out / "docs").mkdir(parents=True, exist_ok=True)
    (args.out / "labels").mkdir(parents=True, exist_ok=True)
    done, pages, failed = 0, [], []
    for name, lab in labels.items():
        shutil.copyfile(LABELS / f"{name}.json", args.out / "labels" / f"{name}.json")
        dest = args.out / lab["file"]
        src = parse_source(lab["source"])
        data = None
        if isinstance(src, GitSource):
            gitdir = mirror_dir(args.mirror, src.repo)
            if gitdir is not None:
                try:
                    data = read_git(gitdir, src)
                except (subprocess.CalledProcessError, KeyError, zipfile.BadZipFile) as exc:
                    failed.append(f"{lab['file']}: {exc}")
        if data is None and args.copy_from and (args.copy_from / lab["file"]).exists():
            data = (args.copy_from / lab["file"]).read_bytes()
        if data is None:
            if isinstance(src, str):
                pages.append(f"{lab['file']}  <-  stored page {src}")
            else:
                failed.append(f"{lab['file']}: no mirror of {src.repo} under {args.mirror}")
            continue
        if sums.get(lab["file"]) and hashlib.sha256(data).hexdigest() != sums[lab["file"]]:
            failed.append(f"{lab['file']}: sha256 differs from SHA256SUMS")
        dest.write_bytes(data)
        done += 1
    print(f"wrote {done}/{len(labels)} documents to {args.out / 'docs'}")
    if pages:
        print(f"{len(pages)} page texts must be obtained from the stored pages (or --from a collection):")
        print("\n".join("  " + p for p in pages))
    if failed:
        print(f"{len(failed)} problems:")
        print("\n".join("  " + f for f in failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
