"""Accounts → registry offices: which office an account speaks for, and its province.

Adoption counts offices, not accounts, and a regency's re-post must count for its
province even when the province's own account is not in the corpus. So an account is
placed through the registry, from what it says about itself, in this order: its region
(a Kemendagri code or a name), its display name ("Diskominfo Kabupaten Serang"), its
handle ("diskominfokabserang"), and last its parent account. A name that means several
offices (a bare "Serang") is narrowed by the parent's province; still ambiguous, the
account is placed in the province all candidates share, or not at all.

Also here: the one normalisation of handles, so that one office read from two exports
("@DiskominfoBanten", "diskominfobanten") is recognised as one account.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tracer.models import Account
from tracer.registry import Office, Registry, builtin_registry, normalize_code

# Words offices put before the name of their region, in names and handles; longest first.
_OFFICE_WORDS = (
    "dinas komunikasi informatika statistik dan persandian",
    "dinas komunikasi dan informatika",
    "dinas kominfo",
    "diskominfotiksan",
    "diskominfosp",
    "diskominfo",
    "kominfo",
    "humas",
    "pemerintah",
    "official",
)
_HANDLE_NOISE = re.compile(r"[^a-z0-9]+")
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.|m\.)?[a-z0-9.-]+\.[a-z]{2,}/", re.IGNORECASE)
# Kind words at the start of a handle (after the office words), longest first.
_HANDLE_KINDS: tuple[tuple[str, str], ...] = (
    ("kabupaten", "Kabupaten "), ("provinsi", "Provinsi "), ("pemprov", "Provinsi "),
    ("pemkab", "Kabupaten "), ("pemkot", "Kota "), ("prov", "Provinsi "),
    ("kota", "Kota "), ("kab", "Kabupaten "),
)  # fmt: skip


def normalize_handle(handle: str) -> str:
    """The key two spellings of one handle share: NFKC, case-folded, without a profile
    URL's host, a leading `@`, surrounding spaces or a trailing slash."""
    text = unicodedata.normalize("NFKC", handle).strip()
    text = _URL_PREFIX.sub("", text).strip("/").split("?", 1)[0]
    return text.removeprefix("@").strip().casefold()


def account_key(account: Account) -> tuple[str, str]:
    """(platform, normalised handle): equal keys are one account on one platform."""
    return account.platform.strip().casefold(), normalize_handle(account.handle)


def duplicate_accounts(accounts: Iterable[Account]) -> list[list[Account]]:
    """Groups of two or more accounts that share (platform, normalised handle), each
    sorted by id, the groups by their first id."""
    groups: dict[tuple[str, str], list[Account]] = defaultdict(list)
    for account in accounts:
        if account_key(account)[1]:
            groups[account_key(account)].append(account)
    found = [sorted(g, key=lambda a: a.account_id) for g in groups.values() if len(g) > 1]
    return sorted(found, key=lambda g: g[0].account_id)


def _strip_office_words(name: str) -> str:
    folded = " ".join(name.casefold().replace("&", " dan ").split())
    for word in _OFFICE_WORDS:
        folded = folded.replace(word, " ")
    return " ".join(folded.split())


def _handle_names(handle: str) -> list[str]:
    """Names a handle can spell: "diskominfokabserang" → "Kabupaten serang"."""
    text = _HANDLE_NOISE.sub("", normalize_handle(handle))
    for word in _OFFICE_WORDS:
        text = text.replace(word.replace(" ", ""), "")
    for prefix, kind in _HANDLE_KINDS:
        if text.startswith(prefix) and len(text) > len(prefix) + 2:
            return [kind + text[len(prefix) :]]
    return [text] if len(text) > 2 else []


def _candidates(registry: Registry, text: str, account: Account) -> tuple[Office, ...]:
    if not text.strip():
        return ()
    if normalize_code(text) is not None:
        office = registry.by_code(text)
        return (office,) if office else ()
    found = registry.match(text)
    if account.tier in ("province", "regency"):
        found = tuple(o for o in found if o.tier == account.tier)
    return found


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an account sits: its office when one is known, its province's office when
    only that is known (a regency named ambiguously inside one province), or neither."""

    office: Office | None
    province: Office | None
    how: str
    """"region", "name", "handle", "parent" or "" (not placed)."""


NOWHERE = Placement(None, None, "")


class Offices:
    """Placements of the accounts of a store, computed once per set of accounts."""

    def __init__(self, accounts: Mapping[str, Account], registry: Registry | None = None):
        self.registry = registry or builtin_registry()
        self.accounts = accounts
        self._placed: dict[str, Placement] = {}

    def place(self, account_id: str) -> Placement:
        if account_id not in self._placed:
            self._placed[account_id] = NOWHERE  # a cycle of parents ends here
            account = self.accounts.get(account_id)
            self._placed[account_id] = self._place(account) if account else NOWHERE
        return self._placed[account_id]

    def province_name(self, account_id: str) -> str | None:
        province = self.place(account_id).province
        return province.name if province else None

    def _place(self, account: Account) -> Placement:
        if account.tier not in ("province", "regency"):
            return NOWHERE
        parent = self.place(account.parent_id) if account.parent_id else NOWHERE
        within = parent.province.code if parent.province else None
        sources = [("region", [account.region]), ("name", [_strip_office_words(account.name)])]
        sources.append(("handle", _handle_names(account.handle)))
        shared: Placement | None = None
        for how, texts in sources:
            for text in texts:
                found = _candidates(self.registry, text, account)
                narrowed = tuple(o for o in found if within in (None, o.province_code))
                found = narrowed or found
                if len(found) == 1:
                    return Placement(found[0], self.registry.province_of(found[0]), how)
                provinces = {o.province_code for o in found}
                if len(provinces) == 1 and shared is None:
                    shared = Placement(None, self.registry.province_of(found[0]), how)
        if shared is not None:
            return shared
        if parent.province is not None:
            office = parent.province if account.tier == "province" else None
            return Placement(office, parent.province, "parent")
        return NOWHERE
