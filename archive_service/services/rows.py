"""What typed results of listings share: they are frozen dataclasses that still read as the dicts they
replaced (`row["class"]`), so JSON output, templates and older readers see the same keys."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, cast


class Row:
    """Mixed into a frozen dataclass: `as_dict()` is the JSON shape, `row[key]` reads it."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(cast(Any, self))  # every subclass is a dataclass

    def __getitem__(self, key: str) -> Any:
        return self.as_dict()[key]
