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
from dataclasses import dataclass, replace

from tracer.models import Account
from tracer.offices.registry import Office, Registry, builtin_registry, normalize_code

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

    def names(self) -> dict[str, str | None]:
        """Province and office as JSON shows them (names and codes; None: not placed)."""
        province, office = self.province, self.office
        return {
            "province": province.name if province else None,
            "province_code": province.code if province else None,
            "office": office.name if office else None,
            "office_code": office.code if office else None,
        }


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


_GOVERNMENT_WORDS = ("diskominfo", "kominfo", "pemkab", "pemkot", "pemprov", "humas", "dinas")


def office_named(account: Account, registry: Registry) -> Office | None:
    """The one office an account's name or handle names, when it also says it is a
    government office ("Diskominfo Kota Serang", "@pemkabserang"): a private account
    called "Bali" is not the province's office."""
    said = (account.name + " " + account.handle).casefold()
    if not any(word in said for word in _GOVERNMENT_WORDS):
        return None
    for text in [_strip_office_words(account.name), *_handle_names(account.handle)]:
        found = registry.match(text) if text else ()
        if len(found) == 1:
            return found[0]
    return None


class AccountMatcher:
    """Accounts read from an export → the accounts a store knows.

    An account whose (platform, normalised handle) is a known account's is that account:
    `match` returns None and `alias` moves its posts to the known id. An account read
    without a tier (`other`, no `--tier` given) whose name or handle names one office
    gets the office's tier and region; the others are counted in `tierless`.
    """

    def __init__(self, known: Mapping[str, Account], *, tier_given: bool = False) -> None:
        self.registry = builtin_registry()
        self.by_key = {account_key(a): a.account_id for a in known.values()}
        self.tier_given = tier_given
        self.aliases: dict[str, str] = {}
        self.placed: list[str] = []
        self.tierless: list[str] = []

    def alias(self, account_id: str) -> str:
        return self.aliases.get(account_id, account_id)

    def match(self, account: Account) -> Account | None:
        known = self.by_key.get(account_key(account))
        if known is not None and known != account.account_id:
            self.aliases[account.account_id] = known
            return None
        self.by_key.setdefault(account_key(account), account.account_id)
        if account.tier != "other" or self.tier_given:
            return account
        office = office_named(account, self.registry)
        if office is None:
            self.tierless.append(account.account_id)
            return account
        self.placed.append(account.account_id)
        return replace(account, tier=office.tier, region=office.name)


def matcher_notes(matcher: AccountMatcher) -> list[str]:
    """What an ingest report says about the accounts a matcher saw."""

    def some(ids: list[str]) -> str:
        return ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")

    notes = []
    if matcher.aliases:
        pairs = [f"{a} → {b}" for a, b in sorted(matcher.aliases.items())]
        notes.append(
            f"{len(pairs)} accounts are known accounts under another id (same platform and "
            f"handle); their posts were stored under the known id: {some(pairs)}"
        )
    if matcher.placed:
        notes.append(
            f"{len(matcher.placed)} accounts without a tier were given their office's tier "
            f"from their name or handle: {some(sorted(matcher.placed))}"
        )
    if matcher.tierless:
        notes.append(
            f"{len(matcher.tierless)} accounts were created without a tier (stored as `other`: "
            f"adoption and the watch leave them out): {some(sorted(matcher.tierless))}. "
            "Give them offices: write a CSV (platform, handle, office) and run `tracer "
            "accounts import FILE.csv` before ingesting the export (its accounts are then "
            "matched to those by platform and handle), or ingest with --tier and --region"
        )
    return notes


def duplicates_note(accounts: Iterable[Account]) -> list[str]:
    """The ingest report's line on accounts stored twice, if any."""
    groups = duplicate_accounts(accounts)
    if not groups:
        return []
    shown = "; ".join(" = ".join(a.account_id for a in g) for g in groups[:5])
    return [
        f"{len(groups)} accounts are stored under more than one id (same platform and "
        f"handle): {shown}. Adoption counts each as one; `tracer accounts duplicates` "
        "lists them all"
    ]
