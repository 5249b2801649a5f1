"""Recreate the real-document evaluation folder (docs/ + labels/) from its sources.

The labels in ``bench/real/labels/`` name each document's source:

- ``owner/repo@COMMIT:path`` — a file in a public GitHub repository, read with
  ``git --git-dir=MIRROR/owner+repo/... show COMMIT:path`` from a fetched mirror;
- ``owner/repo@COMMIT:archive.zip!member`` — a member of a zip file in such a repository;
- ``page:URL`` — a stored copy of a web page. Those texts cannot be rebuilt from a
  mirror: they are copied from an existing collection (``--from``) or written from a
  JSON file of ``{URL: text}`` (``--pages-json``), assembled from the stored pages
  (the text of a short page from its beginning); otherwise they are listed.

The documents themselves are never committed to this repository. Every rebuilt file is
checked against ``SHA256SUMS`` beside this script.

    .venv/bin/python bench/real/materialise.py --mirror /work/.mirror --out /work/collected
    .venv/bin/python bench/real/materialise.py --out /tmp/real --from /work/collected
    .venv/bin/python bench/real/materialise.py --out /work/collected --pages-json pages.json
    .venv/bin/python bench/real/materialise.py --check /work/collected   # verify only
    .venv/bin/python bench/real/materialise.py --out DIR --batches 1-8 ...  # some batches only
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels"
SUMS = HERE / "SHA256SUMS"
BATCHES = HERE / "batches.json"


@dataclass(frozen=True)
class GitSource:
    """A file (or a zip member) at a commit of a GitHub repository."""

    repo: str
    commit: str
    path: str
    member: str | None = None
    item: str | None = None  # one entry inside a code or data file (``ro.js#message.main_news1``), cut out by hand


def parse_source(source: str) -> GitSource | str:
    """Split a label's ``source``; a ``page:`` source is returned as its URL.

    >>> parse_source("a/b@0123abcd:dir/f.pdf")
    GitSource(repo='a/b', commit='0123abcd', path='dir/f.pdf', member=None, item=None)
    >>> parse_source("a/b@0123abcd:x.zip!x/doc1").member
    'x/doc1'
    >>> parse_source("a/b@0123abcd:dir/Fii bun!, 2020.pdf").path
    'dir/Fii bun!, 2020.pdf'
    >>> parse_source("a/b@0123abcd:src/ro.js#message.main_news1").item
    'message.main_news1'
    >>> parse_source("a/b@0123abcd:OJTI_2019_C#_subiect.pdf").path
    'OJTI_2019_C#_subiect.pdf'
    >>> parse_source("page:https://example.ro/a")
    'https://example.ro/a'
    """
    if source.startswith("page:"):
        return source[len("page:"):]
    repo, rest = source.split("@", 1)
    commit, path = rest.split(":", 1)
    member = None
    if ".zip!" in path:  # a zip's member; a ``!`` elsewhere is part of the file's name
        path, member = path.split(".zip!", 1)
        path += ".zip"
    item = None
    if _ITEM.search(path):  # a ``#`` elsewhere is part of the file's name (``C#``)
        path, item = path.rsplit("#", 1)
    return GitSource(repo, commit, path, member, item)


#: An entry of a code or data file after its name: ``page.tsx#COVID_UPDATES[2]``, ``alerts.js#ALERTS[id=7].msg``.
_ITEM = re.compile(r"\.(?:js|jsx|ts|tsx|json|php|py|html?)#[A-Za-z_][^/#]*$")


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


#: How a stored page's text may have been written to a file, most usual first.
PAGE_FORMS = {
    "text and a final newline": lambda t: t if t.endswith("\n") else t + "\n",
    "text as given": lambda t: t,
    "text stripped, final newline": lambda t: t.strip() + "\n",
    "CRLF line ends": lambda t: (t if t.endswith("\n") else t + "\n").replace("\n", "\r\n"),
}


def page_bytes(text: str, digest: str | None) -> tuple[bytes, str | None]:
    r"""The file bytes of a stored page's text, and the form whose sha256 is ``digest``.

    Each form of ``PAGE_FORMS`` is tried; when none matches (or no digest is known) the
    first form is returned with ``None``.

    >>> import hashlib
    >>> page_bytes("a\nb", hashlib.sha256(b"a\nb\n").hexdigest())
    (b'a\nb\n', 'text and a final newline')
    >>> page_bytes("a\nb", hashlib.sha256(b"a\r\nb\r\n").hexdigest())[1]
    'CRLF line ends'
    >>> page_bytes("a", "0" * 64)
    (b'a\n', None)
    """
    first = None
    for form, make in PAGE_FORMS.items():
        data = make(text).encode("utf-8")
        first = first or data
        if digest and hashlib.sha256(data).hexdigest() == digest:
            return data, form
    return first, None


def read_pages_json(paths: list[Path]) -> dict[str, str]:
    """``URL -> text`` merged from JSON files of ``{URL: text}`` (later files win)."""
    pages: dict[str, str] = {}
    for path in paths:
        pages.update(json.loads(path.read_text(encoding="utf-8")))
    return pages


def parse_batches(spec: str) -> set[int]:
    """Batch numbers from ``"1-8"`` or ``"1,3,5-6"``.

    >>> sorted(parse_batches("1-3,7"))
    [1, 2, 3, 7]
    """
    out: set[int] = set()
    for part in spec.split(","):
        lo, _, hi = part.strip().partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


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
    ap.add_argument("--pages-json", type=Path, action="append", default=[],
                    help="JSON file of {URL: text} for page: sources (repeatable; checked "
                         "against SHA256SUMS in the forms of PAGE_FORMS)")
    ap.add_argument("--check", type=Path, help="only verify an existing collection against SHA256SUMS")
    ap.add_argument("--split", choices=["dev", "holdout", "all"], default="all")
    ap.add_argument("--batches", help="only labels of these batches of batches.json, e.g. 1-8 "
                                      "(labels not listed there are left out)")
    args = ap.parse_args(argv)

    labels = load_labels()
    sums = read_sums()
    if args.split != "all":
        labels = {k: v for k, v in labels.items() if v.get("split") == args.split}
    if args.batches:
        wanted = parse_batches(args.batches)
        batch_of = json.loads(BATCHES.read_text(encoding="utf-8"))
        labels = {k: v for k, v in labels.items() if batch_of.get(k) in wanted}

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
    page_texts = read_pages_json(args.pages_json)
    done, pages, failed, forms = 0, [], [], {}
    for name, lab in labels.items():
        shutil.copyfile(LABELS / f"{name}.json", args.out / "labels" / f"{name}.json")
        dest = args.out / lab["file"]
        src = parse_source(lab["source"])
        data = None
        if isinstance(src, GitSource):
            gitdir = mirror_dir(args.mirror, src.repo)
            if src.item is not None:
                gitdir = None  # an entry cut out of a file by hand: only --from has it
            if gitdir is not None:
                try:
                    data = read_git(gitdir, src)
                except (subprocess.CalledProcessError, KeyError, zipfile.BadZipFile) as exc:
                    failed.append(f"{lab['file']}: {exc}")
        if data is None and isinstance(src, str) and src in page_texts:
            data, form = page_bytes(page_texts[src], sums.get(lab["file"]))
            forms[form or "no form matches"] = forms.get(form or "no form matches", 0) + 1
        if data is None and args.copy_from and (args.copy_from / lab["file"]).exists():
            data = (args.copy_from / lab["file"]).read_bytes()
        if data is None:
            if isinstance(src, str):
                pages.append(f"{lab['file']}  <-  stored page {src}")
            elif src.item is not None:
                pages.append(f"{lab['file']}  <-  {src.item} in {src.repo}:{src.path} (cut out by hand)")
            else:
                failed.append(f"{lab['file']}: no mirror of {src.repo} under {args.mirror}")
            continue
        if sums.get(lab["file"]) and hashlib.sha256(data).hexdigest() != sums[lab["file"]]:
            failed.append(f"{lab['file']}: sha256 differs from SHA256SUMS")
        dest.write_bytes(data)
        done += 1
    print(f"wrote {done}/{len(labels)} documents to {args.out / 'docs'}")
    if forms:
        print("page texts written: " + ", ".join(f"{n} {f}" for f, n in forms.items()))
    if pages:
        print(f"{len(pages)} texts must be obtained from the stored pages or cut out of a file by hand "
              "(or --from a collection):")
        print("\n".join("  " + p for p in pages))
    if failed:
        print(f"{len(failed)} problems:")
        print("\n".join("  " + f for f in failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
