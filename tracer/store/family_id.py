"""The public id of a family, `F12`: built and read here only.

The number is the store's family key (the number of a post of the family); the `F`
keeps it apart from post ids wherever both are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracer.errors import NotFoundError

MAX_DIGITS = 18
"""Past this a number cannot be a 64-bit row id."""


@dataclass(frozen=True, slots=True, order=True)
class FamilyId:
    number: int

    def __str__(self) -> str:
        return f"F{self.number}"

    @classmethod
    def read(cls, text: str) -> FamilyId | None:
        """`F12` → FamilyId(12); None for anything else (ASCII digits only: `int` would
        also read `F١٢` as 12)."""
        digits = text[1:]
        if text[:1] != "F" or not (digits.isascii() and digits.isdigit()):
            return None
        if len(digits) > MAX_DIGITS:
            return None
        return cls(int(digits))

    @classmethod
    def parse(cls, text: str) -> FamilyId:
        """As `read`, for an id a client sent: anything else is an unknown family."""
        found = cls.read(text)
        if found is None:
            raise NotFoundError(f"no family {text[:40]!r}")
        return found


def family_number(family_id: str) -> int:
    """The store's key of a stored post's `family_id`."""
    return FamilyId.parse(family_id).number
