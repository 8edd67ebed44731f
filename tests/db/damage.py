"""Damaging a database file on purpose, the way a failing disk or a bad sync does: some of
its pages overwritten with garbage, its header (page 1) left alone so it still looks like
an SQLite file and reaches the integrity check."""

from __future__ import annotations

import random
from pathlib import Path

PAGE = 4096


def damage(path: Path, pages: int = 4, seed: int = 8) -> None:
    """Overwrite `pages` pages after the first with random bytes."""
    size = path.stat().st_size
    count = size // PAGE
    assert count >= 3, "too small to damage without touching the header"
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(1, count), min(pages, count - 1)))
    with path.open("r+b") as handle:
        for page in chosen:
            handle.seek(page * PAGE)
            handle.write(rng.randbytes(PAGE))
