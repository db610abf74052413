"""The account roster of a synthetic corpus: the ministry, provinces, regencies, news sites.

Offices, not accounts, carry the greeting, hashtags and local line a copy adds; their
names and habits are drawn from the packaged vocabulary.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta, timezone

from synthetic.vocabulary import vocabulary
from tracer.models import Account, Tier

# --- offsets ------------------------------------------------------------------------

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))
ZONES: dict[int, timezone] = {0: UTC, 7: WIB, 8: WITA, 9: WIT}

PLATFORMS: dict[str, str] = {"instagram": "ig", "facebook": "fb", "x": "x", "tiktok": "tt"}

# --- offices ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Office:
    """A communication office and its fixed habits: the text it adds to what it posts.

    Offices, not accounts, carry the greeting, hashtags and local line, because one
    office runs several accounts and signs them all the same way.
    """

    key: str
    name: str
    tier: Tier
    region: str
    province: str
    utc_offset: int
    greeting: str
    hashtags: tuple[str, ...]
    local_line: str
    accounts: tuple[Account, ...]


def _short(region: str) -> str:
    """ "Kabupaten Garut" → "Kab. Garut", the way offices name themselves in captions."""
    return region.replace("Kabupaten ", "Kab. ")


def _slug(region: str) -> str:
    """ "Kabupaten Serang" → "Serang", "Kota Serang" → "KotaSerang", for hashtags."""
    words = region.replace("Kabupaten ", "").replace("DKI ", "")
    words = words.replace("DI ", "").replace("-", " ").replace("'", "")
    return "".join(w[:1].upper() + w[1:] for w in words.split())


def _key(region: str) -> str:
    """ "Kabupaten Garut" → "kab_garut", the stable part of account ids."""
    low = region.lower().replace("kabupaten ", "kab ").replace("-", " ").replace("'", "")
    return "_".join(low.split())


def _signature(
    rng: random.Random, key: str, region: str, greeting: str | None, site: str
) -> tuple[str, tuple[str, ...], str]:
    vocab = vocabulary()
    short = _short(region)
    if greeting is None:
        greeting = rng.choice(vocab.greeting_patterns).format(short=short)
    slug = _slug(region)
    tags = (f"#{slug}{rng.choice(vocab.slogan_suffixes)}", f"#Diskominfo{slug}")
    phone = f"({rng.randint(21, 986):04d}) {rng.randint(300, 899)}{rng.randint(1000, 9999)}"
    mobile = f"08{rng.randint(11, 59)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    if rng.random() < 0.3:
        phone = "112"
    line = rng.choice(vocab.local_lines).format(phone=phone, mobile=mobile, site=site, short=short)
    return greeting, tags, line


def _accounts(
    rng: random.Random,
    key: str,
    name: str,
    tier: Tier,
    region: str,
    platforms: Sequence[str],
    parents: Mapping[str, str],
) -> tuple[Account, ...]:
    handle_base = "diskominfo" + key.replace("_", "")
    out = []
    for platform in platforms:
        handle = handle_base if platform != "facebook" else handle_base + ".official"
        if platform == "x" and rng.random() < 0.5:
            handle = "kominfo_" + key.replace("_", "")[:12]
        out.append(
            Account(
                account_id=f"diskominfo_{key}_{PLATFORMS[platform]}",
                platform=platform,
                handle=handle,
                name=name,
                tier=tier,
                region=region,
                parent_id=parents.get(platform),
            )
        )
    return tuple(out)


def central_office() -> Office:
    """The ministry: its WhatsApp distribution group and its own public accounts."""
    accounts = (
        Account(
            "kominfo_wa",
            "whatsapp",
            "Grup Distribusi Konten Kominfo",
            "Grup Distribusi Konten Kominfo",
            "central",
            "Nasional",
            None,
        ),
        Account(
            "kemkominfo_ig",
            "instagram",
            "kemenkominfo",
            "Kementerian Komunikasi dan Informatika",
            "central",
            "Nasional",
            None,
        ),
        Account(
            "kemkominfo_x",
            "x",
            "kemkominfo",
            "Kementerian Komunikasi dan Informatika",
            "central",
            "Nasional",
            None,
        ),
    )
    return Office(
        key="kominfo",
        name="Kementerian Komunikasi dan Informatika",
        tier="central",
        region="Nasional",
        province="",
        utc_offset=7,
        greeting="Sahabat Kominfo,",
        hashtags=("#KominfoRI", "#SobatKominfo"),
        local_line="Informasi resmi pemerintah: kominfo.go.id dan indonesia.go.id.",
        accounts=accounts,
    )


def make_offices(
    rng: random.Random,
    n_provinces: int = 38,
    regencies_per_province: int = 13,
    *,
    invent: bool = True,
) -> list[Office]:
    """The roster: the ministry, provinces on four platforms, their regencies, news sites.

    A regency account's `parent_id` is its province's account on the same platform, so
    the tier hierarchy of DESIGN.md can be read straight off accounts.csv. Beyond the
    real regencies of the vocabulary's provinces, names are invented unless `invent` is False.
    """
    vocab = vocabulary()
    provinces = vocab.provinces
    if not 1 <= n_provinces <= len(provinces):
        raise ValueError(f"n_provinces must be 1..{len(provinces)}")
    offices = [central_office()]
    used_keys: set[str] = {"kominfo"}
    for key, province, offset, regencies in provinces[:n_provinces]:
        site = f"diskominfo.{key}prov.go.id"
        greeting, tags, line = _signature(
            rng, key, province, vocab.province_greetings.get(key), site
        )
        name = f"Diskominfo Provinsi {province}"
        accounts = _accounts(rng, key, name, "province", province, list(PLATFORMS), {})
        used_keys.add(key)
        offices.append(
            Office(
                key, name, "province", province, province, offset, greeting, tags, line, accounts
            )
        )
        parents = {a.platform: a.account_id for a in accounts}
        names = list(regencies[:regencies_per_province])
        while invent and len(names) < regencies_per_province:
            kind = "Kabupaten" if rng.random() < 0.8 else "Kota"
            head = rng.choice(vocab.regency_name_heads)
            names.append(f"{kind} {head} {rng.choice(vocab.regency_name_tails)}")
        for region in names:
            rkey = _key(region)
            while rkey in used_keys:
                rkey += "_" + key
            used_keys.add(rkey)
            domain = _key(region).split("_", 1)[-1].replace("_", "")
            site = f"diskominfo.{domain}{'kab' if region.startswith('Kab') else 'kota'}.go.id"
            greeting, tags, line = _signature(rng, rkey, region, None, site)
            platforms = ["instagram"] + [
                p
                for p, chance in (("facebook", 0.6), ("x", 0.3), ("tiktok", 0.3))
                if rng.random() < chance
            ]
            name = f"Diskominfo {region}"
            offices.append(
                Office(
                    rkey,
                    name,
                    "regency",
                    region,
                    province,
                    offset,
                    greeting,
                    tags,
                    line,
                    _accounts(rng, rkey, name, "regency", region, platforms, parents),
                )
            )
    for key, title, domain in vocab.news_sites:
        account = Account(key, "web", domain, title, "other", "Nasional", None)
        offices.append(
            Office(
                key,
                title,
                "other",
                "Nasional",
                "",
                7,
                f"{title} —",
                (f"#{_slug(title)}",),
                f"Baca berita lainnya di {domain}.",
                (account,),
            )
        )
    return offices


def accounts_of(offices: Sequence[Office]) -> list[Account]:
    return [a for o in offices for a in o.accounts]


# --- vocabulary ---------------------------------------------------------------------


def account_zone(account: Account, office: Office) -> timezone:
    """The offset an export shows: X and TikTok exports say UTC, the others local time."""
    if account.platform in ("x", "tiktok"):
        return UTC
    if account.platform == "whatsapp":
        return WIB
    return ZONES[office.utc_offset]
