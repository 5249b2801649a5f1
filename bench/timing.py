"""What the timing benchmarks share."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compile_bytecode() -> None:
    """Compile arhiva's modules first, as an installed package has them. Where
    ``PYTHONDONTWRITEBYTECODE`` is set (some shells and containers), a module
    changed since it was last compiled is compiled again by every new process,
    and a whole command's time would count that (0.1–0.2 s for the search
    command, more for ingest's start-up) on top of arhiva's own work."""
    import compileall

    compileall.compile_dir(str(ROOT / "arhiva"), quiet=1)
