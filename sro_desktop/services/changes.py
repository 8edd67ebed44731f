"""The small "what changed" record a user action produces, broadcast once to the screens."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DataChanged:
    """Which kinds of records an action touched, and a sentence for the status bar."""

    tables: frozenset[str] = field(default_factory=frozenset)
    summary: str = ""

    def touches(self, *tables: str) -> bool:
        return bool(self.tables.intersection(tables))

    @classmethod
    def everything(cls, summary: str = "") -> DataChanged:
        return cls(frozenset({"*"}), summary)

    def __post_init__(self) -> None:
        if "*" in self.tables:
            object.__setattr__(self, "tables", frozenset({"*"}))
