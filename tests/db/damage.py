"""Damaging a database file on purpose, the way a failing disk or a bad sync does: some of
its pages overwritten with garbage, its header (page 1) left alone so it still looks like
an SQLite file and reaches the integrity check."""

from __future__ import annotations

import random
from pathlib import Path


def page_size(path: Path) -> int:
    """The file's page size, from its header (bytes 16-17; 1 stands for 65,536)."""
    with path.open("rb") as handle:
        handle.seek(16)
        size = int.from_bytes(handle.read(2), "big")
    return 65_536 if size == 1 else size


def damage(path: Path, pages: int = 4, seed: int = 8) -> None:
    """Overwrite `pages` pages after the first with random bytes."""
    size = path.stat().st_size
    page = page_size(path)
    count = size // page
    assert count >= 3, "too small to damage without touching the header"
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(1, count), min(pages, count - 1)))
    with path.open("r+b") as handle:
        for number in chosen:
            handle.seek(number * page)
            handle.write(rng.randbytes(page))
