"""What a check found: a JSON path, a stable code for machines and a message for people."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a snapshot is rejected, e.g. `$.subjects[2].lessons[5].marks[0]`."""

    path: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.code}]"


def json_path(*parts: str | int) -> str:
    """`json_path("subjects", 2, "lessons")` → `$.subjects[2].lessons`."""
    out = ["$"]
    for part in parts:
        out.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(out)
