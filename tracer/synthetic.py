"""Seeded synthetic corpora: offices, releases, edited copies and local chatter.

tracer is judged on what it does with hundreds of offices re-posting one release with
small edits, next to thousands of unrelated posts that share the same greetings,
slogans and hashtags. Real data of that kind cannot be shipped, so this module makes
it: pure (no I/O), deterministic for a seed (one `random.Random` per corpus, never the
global state), and fast enough to stream a million posts.

- `make_offices` builds the account roster: central, province, regency, other.
- The edit functions (`EDITS`) are what regional admins do to a release.
- `iter_scale_corpus` / `make_scale_corpus` give a labelled corpus of any size.
- `make_sample_text` is the text side of `sample_data/`: the January 2024
  "Presiden Punya Hak Politik" case and its neighbours, with the expected verdicts.
"""

from __future__ import annotations

import random
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from tracer.corpus import post_to_json
from tracer.models import Account, Post, Tier, Verdict

# --- offsets ------------------------------------------------------------------------

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))
ZONES: dict[int, timezone] = {0: UTC, 7: WIB, 8: WITA, 9: WIT}

# --- places -------------------------------------------------------------------------

# (key used in handles, province name, UTC offset in hours, regencies and cities).
# The first names of a list are the ones the sample case relies on.
PROVINCES: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    (
        "aceh",
        "Aceh",
        7,
        (
            "Kota Banda Aceh",
            "Kabupaten Aceh Besar",
            "Kota Lhokseumawe",
            "Kabupaten Pidie",
            "Kabupaten Aceh Tengah",
            "Kota Langsa",
            "Kabupaten Bireuen",
            "Kabupaten Aceh Utara",
        ),
    ),
    (
        "sumut",
        "Sumatera Utara",
        7,
        (
            "Kota Medan",
            "Kabupaten Deli Serdang",
            "Kota Pematangsiantar",
            "Kabupaten Karo",
            "Kabupaten Toba",
            "Kota Binjai",
            "Kabupaten Langkat",
            "Kabupaten Simalungun",
        ),
    ),
    (
        "sumbar",
        "Sumatera Barat",
        7,
        (
            "Kota Padang",
            "Kota Bukittinggi",
            "Kabupaten Agam",
            "Kabupaten Tanah Datar",
            "Kota Payakumbuh",
            "Kabupaten Pesisir Selatan",
            "Kabupaten Solok",
            "Kota Sawahlunto",
        ),
    ),
    (
        "riau",
        "Riau",
        7,
        (
            "Kota Pekanbaru",
            "Kota Dumai",
            "Kabupaten Kampar",
            "Kabupaten Siak",
            "Kabupaten Bengkalis",
            "Kabupaten Indragiri Hilir",
            "Kabupaten Rokan Hulu",
            "Kabupaten Pelalawan",
        ),
    ),
    (
        "kepri",
        "Kepulauan Riau",
        7,
        (
            "Kota Batam",
            "Kota Tanjungpinang",
            "Kabupaten Bintan",
            "Kabupaten Karimun",
            "Kabupaten Lingga",
            "Kabupaten Natuna",
            "Kabupaten Kepulauan Anambas",
        ),
    ),
    (
        "jambi",
        "Jambi",
        7,
        (
            "Kota Jambi",
            "Kabupaten Muaro Jambi",
            "Kabupaten Kerinci",
            "Kota Sungai Penuh",
            "Kabupaten Bungo",
            "Kabupaten Merangin",
            "Kabupaten Batanghari",
        ),
    ),
    (
        "sumsel",
        "Sumatera Selatan",
        7,
        (
            "Kota Palembang",
            "Kabupaten Ogan Komering Ilir",
            "Kota Lubuklinggau",
            "Kabupaten Banyuasin",
            "Kabupaten Muara Enim",
            "Kota Prabumulih",
            "Kabupaten Lahat",
        ),
    ),
    (
        "babel",
        "Kepulauan Bangka Belitung",
        7,
        (
            "Kota Pangkalpinang",
            "Kabupaten Bangka",
            "Kabupaten Belitung",
            "Kabupaten Bangka Barat",
            "Kabupaten Belitung Timur",
            "Kabupaten Bangka Tengah",
        ),
    ),
    (
        "bengkulu",
        "Bengkulu",
        7,
        (
            "Kota Bengkulu",
            "Kabupaten Rejang Lebong",
            "Kabupaten Bengkulu Utara",
            "Kabupaten Kepahiang",
            "Kabupaten Mukomuko",
            "Kabupaten Seluma",
        ),
    ),
    (
        "lampung",
        "Lampung",
        7,
        (
            "Kota Bandar Lampung",
            "Kota Metro",
            "Kabupaten Lampung Selatan",
            "Kabupaten Pringsewu",
            "Kabupaten Lampung Tengah",
            "Kabupaten Tanggamus",
            "Kabupaten Pesawaran",
        ),
    ),
    (
        "jakarta",
        "DKI Jakarta",
        7,
        (
            "Kota Jakarta Pusat",
            "Kota Jakarta Selatan",
            "Kota Jakarta Timur",
            "Kota Jakarta Barat",
            "Kota Jakarta Utara",
            "Kabupaten Kepulauan Seribu",
        ),
    ),
    (
        "jabar",
        "Jawa Barat",
        7,
        (
            "Kabupaten Garut",
            "Kabupaten Tasikmalaya",
            "Kabupaten Ciamis",
            "Kota Bandung",
            "Kabupaten Bogor",
            "Kota Bekasi",
            "Kota Depok",
            "Kabupaten Cirebon",
            "Kabupaten Sukabumi",
            "Kabupaten Karawang",
        ),
    ),
    (
        "banten",
        "Banten",
        7,
        (
            "Kota Serang",
            "Kabupaten Serang",
            "Kabupaten Tangerang",
            "Kota Tangerang Selatan",
            "Kota Cilegon",
            "Kabupaten Pandeglang",
            "Kabupaten Lebak",
            "Kota Tangerang",
        ),
    ),
    (
        "jateng",
        "Jawa Tengah",
        7,
        (
            "Kota Semarang",
            "Kota Surakarta",
            "Kabupaten Banyumas",
            "Kabupaten Magelang",
            "Kabupaten Kudus",
            "Kabupaten Klaten",
            "Kabupaten Cilacap",
            "Kabupaten Pati",
            "Kota Tegal",
        ),
    ),
    (
        "diy",
        "DI Yogyakarta",
        7,
        (
            "Kabupaten Sleman",
            "Kota Yogyakarta",
            "Kabupaten Bantul",
            "Kabupaten Kulon Progo",
            "Kabupaten Gunungkidul",
        ),
    ),
    (
        "jatim",
        "Jawa Timur",
        7,
        (
            "Kota Surabaya",
            "Kabupaten Banyuwangi",
            "Kota Malang",
            "Kabupaten Sidoarjo",
            "Kabupaten Jember",
            "Kabupaten Gresik",
            "Kota Kediri",
            "Kabupaten Lamongan",
            "Kabupaten Madiun",
        ),
    ),
    (
        "bali",
        "Bali",
        8,
        (
            "Kota Denpasar",
            "Kabupaten Badung",
            "Kabupaten Gianyar",
            "Kabupaten Buleleng",
            "Kabupaten Tabanan",
            "Kabupaten Karangasem",
            "Kabupaten Klungkung",
        ),
    ),
    (
        "ntb",
        "Nusa Tenggara Barat",
        8,
        (
            "Kota Mataram",
            "Kabupaten Lombok Barat",
            "Kabupaten Lombok Timur",
            "Kabupaten Sumbawa",
            "Kota Bima",
            "Kabupaten Dompu",
            "Kabupaten Lombok Tengah",
        ),
    ),
    (
        "ntt",
        "Nusa Tenggara Timur",
        8,
        (
            "Kota Kupang",
            "Kabupaten Manggarai Barat",
            "Kabupaten Sikka",
            "Kabupaten Ende",
            "Kabupaten Sumba Timur",
            "Kabupaten Belu",
            "Kabupaten Flores Timur",
        ),
    ),
    (
        "kalbar",
        "Kalimantan Barat",
        7,
        (
            "Kota Pontianak",
            "Kota Singkawang",
            "Kabupaten Kubu Raya",
            "Kabupaten Sambas",
            "Kabupaten Ketapang",
            "Kabupaten Sintang",
            "Kabupaten Sanggau",
        ),
    ),
    (
        "kalteng",
        "Kalimantan Tengah",
        7,
        (
            "Kota Palangka Raya",
            "Kabupaten Kotawaringin Barat",
            "Kabupaten Kotawaringin Timur",
            "Kabupaten Kapuas",
            "Kabupaten Barito Utara",
            "Kabupaten Katingan",
        ),
    ),
    (
        "kalsel",
        "Kalimantan Selatan",
        8,
        (
            "Kota Banjarmasin",
            "Kota Banjarbaru",
            "Kabupaten Banjar",
            "Kabupaten Tanah Laut",
            "Kabupaten Hulu Sungai Tengah",
            "Kabupaten Kotabaru",
            "Kabupaten Tabalong",
        ),
    ),
    (
        "kaltim",
        "Kalimantan Timur",
        8,
        (
            "Kota Samarinda",
            "Kota Balikpapan",
            "Kota Bontang",
            "Kabupaten Kutai Kartanegara",
            "Kabupaten Penajam Paser Utara",
            "Kabupaten Berau",
            "Kabupaten Paser",
        ),
    ),
    (
        "kaltara",
        "Kalimantan Utara",
        8,
        (
            "Kota Tarakan",
            "Kabupaten Bulungan",
            "Kabupaten Nunukan",
            "Kabupaten Malinau",
            "Kabupaten Tana Tidung",
        ),
    ),
    (
        "sulut",
        "Sulawesi Utara",
        8,
        (
            "Kota Manado",
            "Kota Bitung",
            "Kota Tomohon",
            "Kabupaten Minahasa",
            "Kabupaten Minahasa Utara",
            "Kabupaten Kepulauan Sangihe",
            "Kota Kotamobagu",
        ),
    ),
    (
        "gorontalo",
        "Gorontalo",
        8,
        (
            "Kota Gorontalo",
            "Kabupaten Gorontalo",
            "Kabupaten Bone Bolango",
            "Kabupaten Boalemo",
            "Kabupaten Pohuwato",
            "Kabupaten Gorontalo Utara",
        ),
    ),
    (
        "sulteng",
        "Sulawesi Tengah",
        8,
        (
            "Kota Palu",
            "Kabupaten Donggala",
            "Kabupaten Sigi",
            "Kabupaten Poso",
            "Kabupaten Banggai",
            "Kabupaten Morowali",
            "Kabupaten Tolitoli",
        ),
    ),
    (
        "sulbar",
        "Sulawesi Barat",
        8,
        (
            "Kabupaten Mamuju",
            "Kabupaten Majene",
            "Kabupaten Polewali Mandar",
            "Kabupaten Mamasa",
            "Kabupaten Pasangkayu",
            "Kabupaten Mamuju Tengah",
        ),
    ),
    (
        "sulsel",
        "Sulawesi Selatan",
        8,
        (
            "Kota Makassar",
            "Kota Parepare",
            "Kabupaten Gowa",
            "Kabupaten Maros",
            "Kabupaten Bone",
            "Kabupaten Bulukumba",
            "Kota Palopo",
            "Kabupaten Toraja Utara",
        ),
    ),
    (
        "sultra",
        "Sulawesi Tenggara",
        8,
        (
            "Kota Kendari",
            "Kota Baubau",
            "Kabupaten Konawe",
            "Kabupaten Kolaka",
            "Kabupaten Muna",
            "Kabupaten Wakatobi",
            "Kabupaten Buton",
        ),
    ),
    (
        "maluku",
        "Maluku",
        9,
        (
            "Kota Ambon",
            "Kota Tual",
            "Kabupaten Maluku Tengah",
            "Kabupaten Seram Bagian Barat",
            "Kabupaten Kepulauan Aru",
            "Kabupaten Buru",
            "Kabupaten Maluku Tenggara",
        ),
    ),
    (
        "malut",
        "Maluku Utara",
        9,
        (
            "Kota Ternate",
            "Kota Tidore Kepulauan",
            "Kabupaten Halmahera Utara",
            "Kabupaten Halmahera Barat",
            "Kabupaten Halmahera Selatan",
            "Kabupaten Kepulauan Sula",
        ),
    ),
    (
        "papua",
        "Papua",
        9,
        (
            "Kota Jayapura",
            "Kabupaten Jayapura",
            "Kabupaten Biak Numfor",
            "Kabupaten Keerom",
            "Kabupaten Sarmi",
            "Kabupaten Kepulauan Yapen",
            "Kabupaten Waropen",
        ),
    ),
    (
        "papuabarat",
        "Papua Barat",
        9,
        (
            "Kabupaten Manokwari",
            "Kabupaten Fakfak",
            "Kabupaten Kaimana",
            "Kabupaten Teluk Bintuni",
            "Kabupaten Teluk Wondama",
            "Kabupaten Manokwari Selatan",
        ),
    ),
    (
        "papuaselatan",
        "Papua Selatan",
        9,
        ("Kabupaten Merauke", "Kabupaten Boven Digoel", "Kabupaten Mappi", "Kabupaten Asmat"),
    ),
    (
        "papuatengah",
        "Papua Tengah",
        9,
        (
            "Kabupaten Nabire",
            "Kabupaten Mimika",
            "Kabupaten Paniai",
            "Kabupaten Dogiyai",
            "Kabupaten Deiyai",
            "Kabupaten Puncak Jaya",
        ),
    ),
    (
        "papuapegunungan",
        "Papua Pegunungan",
        9,
        (
            "Kabupaten Jayawijaya",
            "Kabupaten Lanny Jaya",
            "Kabupaten Tolikara",
            "Kabupaten Yahukimo",
            "Kabupaten Pegunungan Bintang",
            "Kabupaten Mamberamo Tengah",
        ),
    ),
    (
        "papuabaratdaya",
        "Papua Barat Daya",
        9,
        (
            "Kota Sorong",
            "Kabupaten Sorong",
            "Kabupaten Raja Ampat",
            "Kabupaten Sorong Selatan",
            "Kabupaten Maybrat",
            "Kabupaten Tambrauw",
        ),
    ),
)

# Made-up regency names for rosters larger than the real lists above.
_NAME_HEADS = (
    "Sumber",
    "Tanjung",
    "Muara",
    "Bukit",
    "Sungai",
    "Batu",
    "Teluk",
    "Padang",
    "Rantau",
    "Air",
    "Tanah",
    "Kuala",
    "Pulau",
    "Lembah",
    "Gunung",
)
_NAME_TAILS = (
    "Jaya",
    "Makmur",
    "Indah",
    "Baru",
    "Raya",
    "Sari",
    "Agung",
    "Permai",
    "Harapan",
    "Sejahtera",
    "Mulia",
    "Lestari",
    "Utama",
    "Damai",
    "Bahari",
)
_VILLAGES = (
    "Sukamaju",
    "Mekarsari",
    "Sukajadi",
    "Karanganyar",
    "Sidomulyo",
    "Sumberrejo",
    "Tanjungsari",
    "Margahayu",
    "Cempaka",
    "Kebonsari",
    "Pasirjaya",
    "Wonosari",
    "Tegalrejo",
    "Sindangsari",
    "Talang Jaya",
    "Air Hitam",
    "Bojongsari",
    "Pematang",
)

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


_PROVINCE_GREETINGS: dict[str, str] = {
    "aceh": "Assalamualaikum, Sahabat Diskominfo Aceh,",
    "sumut": "Horas! Sahabat Kominfo Sumut,",
    "sumbar": "Sanak Sumbar, apa kabar?",
    "jakarta": "Halo warga Jakarta!",
    "jabar": "Sahabat Diskominfo Jabar,",
    "banten": "Halo Sahabat Banten!",
    "jateng": "Salam Sehat, Sedulur Jateng!",
    "diy": "Sugeng pinarak, Sahabat Jogja!",
    "jatim": "Rek, Sahabat Kominfo Jatim!",
    "bali": "Om Swastiastu, Semeton Bali!",
    "sulsel": "Tabe', Sahabat Sulsel!",
    "papua": "Salam Papua, Sahabat Kominfo!",
    "maluku": "Salam Pela Gandong, basudara Maluku!",
}
_GREETING_PATTERNS = (
    "Sahabat Diskominfo {short},",
    "Salam Sehat dari {short}!",
    "Halo Sobat Kominfo {short}!",
    "Halo warga {short}!",
    "Sahabat {short} yang budiman,",
    "Salam Informatif dari {short}!",
)
_LOCAL_LINES = (
    "Info lebih lanjut hubungi call center {short} di {phone}.",
    "Informasi selengkapnya dapat diakses di {site}.",
    "Layanan pengaduan masyarakat {short}: WhatsApp {mobile}.",
    "Pantau terus informasi resmi {short} melalui {site}.",
    "Butuh bantuan? Hubungi layanan {short} di {phone} atau kunjungi {site}.",
)
_SLOGAN_SUFFIXES = (
    "Maju",
    "Hebat",
    "Bangkit",
    "Juara",
    "Berkah",
    "Sejahtera",
    "Bersinar",
    "Bahagia",
    "Cerdas",
    "Melayani",
)
GENERIC_HASHTAGS = (
    "#SobatKominfo",
    "#IndonesiaMaju",
    "#KominfoRI",
    "#InfoPublik",
    "#IndonesiaBaik",
    "#GPRNews",
    "#DiskominfoMelayani",
    "#BeraniBerubah",
)
_NEWS_SITES = (
    ("kabarnusantara", "Kabar Nusantara", "kabarnusantara.id"),
    ("wartadaerah", "Warta Daerah", "wartadaerah.co.id"),
    ("berita24", "Berita 24", "berita24.com"),
    ("suarapelosok", "Suara Pelosok", "suarapelosok.id"),
)


def _signature(
    rng: random.Random, key: str, region: str, greeting: str | None, site: str
) -> tuple[str, tuple[str, ...], str]:
    short = _short(region)
    if greeting is None:
        greeting = rng.choice(_GREETING_PATTERNS).format(short=short)
    slug = _slug(region)
    tags = (f"#{slug}{rng.choice(_SLOGAN_SUFFIXES)}", f"#Diskominfo{slug}")
    phone = f"({rng.randint(21, 986):04d}) {rng.randint(300, 899)}{rng.randint(1000, 9999)}"
    mobile = f"08{rng.randint(11, 59)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    if rng.random() < 0.3:
        phone = "112"
    line = rng.choice(_LOCAL_LINES).format(phone=phone, mobile=mobile, site=site, short=short)
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
    real regencies listed in `PROVINCES`, names are invented unless `invent` is False.
    """
    if not 1 <= n_provinces <= len(PROVINCES):
        raise ValueError(f"n_provinces must be 1..{len(PROVINCES)}")
    offices = [central_office()]
    used_keys: set[str] = {"kominfo"}
    for key, province, offset, regencies in PROVINCES[:n_provinces]:
        site = f"diskominfo.{key}prov.go.id"
        greeting, tags, line = _signature(rng, key, province, _PROVINCE_GREETINGS.get(key), site)
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
            names.append(f"{kind} {rng.choice(_NAME_HEADS)} {rng.choice(_NAME_TAILS)}")
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
    for key, title, domain in _NEWS_SITES:
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


@dataclass(frozen=True, slots=True)
class Topic:
    """A theme of government communication and the phrases that fill its templates."""

    name: str
    hashtag: str
    titles: tuple[str, ...]
    slots: Mapping[str, tuple[str, ...]]


def _topic(name: str, hashtag: str, titles: tuple[str, ...], **slots: tuple[str, ...]) -> Topic:
    return Topic(name, hashtag, titles, slots)


TOPICS: tuple[Topic, ...] = (
    _topic(
        "pemilu",
        "#PemiluDamai2024",
        (
            "Ayo ke TPS, {num} Pemilih Pemula di {place} Siap Gunakan Hak Pilih",
            "Distribusi Logistik Pemilu di {place} Capai {pct} Persen",
            "Jaga Netralitas ASN Jelang Pemungutan Suara di {place}",
            "{place} Siapkan {num} TPS untuk Pemilu {year}",
        ),
        subject=(
            "partisipasi pemilih",
            "kesiapan logistik pemilu",
            "distribusi surat suara",
            "pemutakhiran data pemilih",
            "pelantikan anggota KPPS",
        ),
        program=(
            "sosialisasi pemilu damai",
            "pendataan pemilih pemula",
            "bimbingan teknis bagi petugas KPPS",
            "patroli siber jelang pemungutan suara",
            "simulasi pemungutan suara",
        ),
        benef=(
            "pemilih pemula",
            "petugas KPPS",
            "anggota PPK",
            "pemilih disabilitas",
            "pemilih lanjut usia",
        ),
        counted=(
            "kotak suara telah tiba di gudang logistik",
            "TPS sudah siap digunakan",
            "lembar surat suara rusak sudah diganti",
            "bilik suara telah didistribusikan ke desa",
        ),
        status=(
            "telah dilantik",
            "sudah mengikuti bimbingan teknis",
            "terdaftar dalam Daftar Pemilih Tetap",
            "sudah menerima undangan memilih",
        ),
        action=(
            "datang ke TPS pada 14 Februari 2024",
            "mengecek nama di Daftar Pemilih Tetap",
            "menjaga suasana tetap kondusif selama masa kampanye",
            "melaporkan dugaan pelanggaran kepada Bawaslu setempat",
        ),
        purpose=(
            "pemilu berjalan jujur dan adil",
            "hak pilih setiap warga terlindungi",
            "seluruh tahapan pemilu berlangsung aman dan damai",
            "tidak ada warga yang kehilangan hak suaranya",
        ),
        facility=(
            "gudang logistik KPU",
            "kantor PPK",
            "posko pengaduan pemilu",
            "aula kantor kecamatan",
        ),
        claim=(
            "netralitas ASN wajib dijaga di seluruh tahapan pemilu",
            "setiap warga negara yang sudah berusia 17 tahun berhak memberikan suara",
            "perbedaan pilihan politik tidak boleh memecah persatuan",
            "aturan kampanye telah diatur secara rinci dalam undang-undang",
        ),
    ),
    _topic(
        "stunting",
        "#CegahStunting",
        (
            "Prevalensi Stunting di {place} Turun Menjadi {pct} Persen",
            "{num} Posyandu di {place} Siap Cegah Stunting",
            "Cegah Stunting Sejak Dini, {place} Perkuat Gizi Ibu Hamil",
            "Gerakan Orang Tua Asuh Anak Stunting Diluncurkan di {place}",
        ),
        subject=(
            "penurunan stunting",
            "cakupan imunisasi dasar",
            "pemberian makanan tambahan",
            "pemeriksaan ibu hamil",
            "penimbangan balita",
        ),
        program=(
            "pemberian makanan tambahan berbahan pangan lokal",
            "pendampingan keluarga berisiko stunting",
            "kelas ibu hamil",
            "gerakan isi piringku",
            "pemberian tablet tambah darah bagi remaja putri",
        ),
        benef=(
            "balita",
            "ibu hamil",
            "keluarga berisiko stunting",
            "remaja putri",
            "kader posyandu",
        ),
        counted=(
            "balita sudah diukur tinggi badannya",
            "posyandu telah memiliki alat antropometri",
            "paket makanan tambahan telah dibagikan",
            "kader pendamping sudah dilatih",
        ),
        status=(
            "telah menerima pendampingan",
            "sudah diperiksa kesehatannya",
            "tercatat dalam aplikasi e-PPGBM",
            "mendapat asupan gizi tambahan",
        ),
        action=(
            "rutin membawa anak-anak ke posyandu setiap bulan",
            "memberikan ASI eksklusif selama enam bulan",
            "memeriksakan kehamilan minimal enam kali",
            "menyajikan menu bergizi seimbang di rumah",
        ),
        purpose=(
            "angka stunting terus menurun",
            "setiap anak tumbuh sehat dan cerdas",
            "target prevalensi 14 persen dapat tercapai",
            "generasi emas 2045 dapat terwujud",
        ),
        facility=("posyandu", "puskesmas", "rumah desa sehat", "balai penyuluhan KB"),
        claim=(
            "pencegahan stunting dimulai sejak masa remaja",
            "seribu hari pertama kehidupan menentukan masa depan anak",
            "stunting bukan hanya soal tinggi badan tetapi juga perkembangan otak",
            "penanganan stunting membutuhkan kerja sama lintas sektor",
        ),
    ),
    _topic(
        "inflasi",
        "#JagaInflasi",
        (
            "Inflasi {place} Terkendali di Angka {pct} Persen",
            "Gerakan Pangan Murah Digelar di {num} Titik di {place}",
            "Harga Beras di {place} Mulai Stabil",
            "TPID {place} Pantau Harga Bahan Pokok Jelang Hari Besar",
        ),
        subject=(
            "laju inflasi",
            "stabilitas harga pangan",
            "pasokan beras",
            "harga cabai dan bawang merah",
            "daya beli masyarakat",
        ),
        program=(
            "gerakan pangan murah",
            "operasi pasar beras SPHP",
            "pemantauan harga harian oleh TPID",
            "gerakan menanam cabai di pekarangan",
            "subsidi ongkos angkut bahan pokok",
        ),
        benef=(
            "rumah tangga",
            "pedagang pasar",
            "petani cabai",
            "warga prasejahtera",
            "pelaku usaha kuliner",
        ),
        counted=(
            "ton beras telah disalurkan ke pasar",
            "paket sembako terjual dalam operasi pasar",
            "kilogram cabai dipasok dari luar daerah",
            "liter minyak goreng siap didistribusikan",
        ),
        status=(
            "merasakan manfaat operasi pasar",
            "sudah mendapat subsidi ongkos angkut",
            "terdata sebagai penerima bantuan pangan",
            "mengikuti gerakan pangan murah",
        ),
        action=(
            "berbelanja secara bijak dan tidak menimbun bahan pokok",
            "memanfaatkan gerakan pangan murah di kecamatan masing-masing",
            "melaporkan kenaikan harga yang tidak wajar",
            "menanam cabai dan sayuran di pekarangan rumah",
        ),
        purpose=(
            "harga bahan pokok tetap terjangkau",
            "inflasi tetap berada dalam rentang sasaran",
            "pasokan pangan aman hingga akhir tahun",
            "daya beli masyarakat terjaga",
        ),
        facility=("Pasar Induk", "gudang Bulog", "pasar tradisional", "sentra produksi cabai"),
        claim=(
            "pasokan beras dalam kondisi aman",
            "kenaikan harga dipicu faktor cuaca",
            "pengendalian inflasi menjadi prioritas pemerintah daerah",
            "sinergi TPID dan Bulog menjaga harga tetap stabil",
        ),
    ),
    _topic(
        "vaksinasi",
        "#AyoVaksin",
        (
            "Bulan Imunisasi Anak Nasional Sasar {num} Anak di {place}",
            "Cakupan Imunisasi Polio di {place} Tembus {pct} Persen",
            "Vaksinasi Gratis Dibuka di {num} Puskesmas {place}",
            "Jangan Lewatkan Imunisasi Lanjutan, Warga {place} Diimbau Datang ke Posyandu",
        ),
        subject=(
            "cakupan imunisasi",
            "vaksinasi polio",
            "imunisasi campak rubela",
            "vaksinasi HPV",
            "imunisasi kejar",
        ),
        program=(
            "Pekan Imunisasi Nasional",
            "vaksinasi HPV bagi siswi kelas lima",
            "imunisasi kejar bagi anak yang tertinggal jadwal",
            "vaksinasi polio tetes",
            "layanan imunisasi keliling",
        ),
        benef=("anak usia 0–7 tahun", "siswi sekolah dasar", "bayi", "lansia", "tenaga kesehatan"),
        counted=(
            "dosis vaksin telah disuntikkan",
            "vial vaksin polio tersimpan dalam rantai dingin",
            "pos imunisasi dibuka serentak",
            "dosis vaksin cadangan sudah diterima dinas",
        ),
        status=(
            "telah mendapat imunisasi lengkap",
            "sudah menerima dosis kedua",
            "tercatat dalam aplikasi ASIK",
            "belum menerima imunisasi kejar",
        ),
        action=(
            "membawa buku KIA saat datang ke posyandu",
            "melengkapi imunisasi anak-anak sesuai jadwal",
            "tidak mudah percaya kabar bohong soal vaksin",
            "mendaftar melalui puskesmas terdekat",
        ),
        purpose=(
            "kekebalan kelompok terbentuk",
            "tidak ada lagi kasus polio baru",
            "anak-anak terlindungi dari penyakit berbahaya",
            "target cakupan 95 persen tercapai",
        ),
        facility=("puskesmas", "posyandu", "sekolah dasar", "rumah sakit umum daerah"),
        claim=(
            "vaksin yang digunakan aman dan halal",
            "imunisasi lengkap melindungi anak dari penyakit yang dapat dicegah",
            "efek samping ringan setelah imunisasi adalah hal yang wajar",
            "resiko penularan meningkat jika cakupan imunisasi rendah",
        ),
    ),
    _topic(
        "bansos",
        "#BansosTepatSasaran",
        (
            "Bansos Beras {num} Kilogram Mulai Disalurkan di {place}",
            "{num} Keluarga Penerima Manfaat di {place} Terima Bantuan PKH",
            "Penyaluran BLT El Nino di {place} Capai {pct} Persen",
            "Cek Penerima Bansos di {place} Kini Bisa Lewat Ponsel",
        ),
        subject=(
            "penyaluran bantuan sosial",
            "pemutakhiran DTKS",
            "penyaluran PKH",
            "bantuan pangan beras",
            "BLT dana desa",
        ),
        program=(
            "bantuan pangan beras 10 kilogram",
            "Program Keluarga Harapan",
            "bantuan langsung tunai",
            "kartu sembako",
            "bantuan iuran BPJS Kesehatan",
        ),
        benef=(
            "keluarga penerima manfaat",
            "lansia tunggal",
            "penyandang disabilitas",
            "warga prasejahtera",
            "anak yatim",
        ),
        counted=(
            "karung beras telah disalurkan",
            "paket bantuan sudah diterima warga",
            "rekening penerima baru telah dibuka",
            "data penerima sudah diverifikasi pendamping",
        ),
        status=(
            "telah menerima bantuan",
            "sudah diverifikasi pendamping",
            "masuk daftar penerima tahap kedua",
            "sedang divalidasi dinas sosial",
        ),
        action=(
            "mengecek status penerima melalui laman cekbansos",
            "melaporkan penyaluran yang tidak tepat sasaran",
            "membawa KTP dan kartu keluarga saat pengambilan bantuan",
            "tidak memberikan uang kepada pihak yang menjanjikan bantuan",
        ),
        purpose=(
            "bantuan tepat sasaran",
            "tidak ada pemotongan dana bantuan",
            "warga rentan terlindungi",
            "beban pengeluaran keluarga berkurang",
        ),
        facility=("kantor pos", "balai desa", "gudang Bulog", "kantor dinas sosial"),
        claim=(
            "bantuan sosial tidak dipungut biaya apa pun",
            "data penerima diperbarui setiap bulan",
            "penyaluran bansos dilakukan secara bertahap",
            "penerima yang sudah mampu diminta mengundurkan diri secara sukarela",
        ),
    ),
    _topic(
        "infrastruktur",
        "#InfrastrukturUntukRakyat",
        (
            "Jalan Sepanjang {num} Meter di {place} Rampung Diperbaiki",
            "Jembatan Baru di {place} Percepat Akses Warga ke Pasar",
            "Pembangunan Irigasi di {place} Capai {pct} Persen",
            "{place} Resmikan Sarana Air Bersih untuk {num} Rumah Tangga",
        ),
        subject=(
            "pembangunan jalan desa",
            "rehabilitasi jembatan",
            "jaringan irigasi",
            "penyediaan air bersih",
            "perbaikan drainase",
        ),
        program=(
            "preservasi jalan nasional",
            "program padat karya tunai",
            "pembangunan jaringan irigasi tersier",
            "penyediaan sambungan air minum",
            "inpres jalan daerah",
        ),
        benef=("warga desa", "petani", "pelajar", "pedagang pasar", "pengguna jalan"),
        counted=(
            "meter jalan telah selesai diaspal",
            "unit jembatan gantung sudah dapat dilalui",
            "hektare sawah kini teraliri irigasi",
            "sambungan air bersih telah terpasang",
        ),
        status=(
            "kini menikmati akses jalan yang layak",
            "sudah tersambung air bersih",
            "terlibat dalam program padat karya",
            "merasakan manfaat jembatan baru",
        ),
        action=(
            "ikut menjaga fasilitas umum yang sudah dibangun",
            "melaporkan jalan rusak melalui kanal pengaduan",
            "mematuhi rambu selama masa pengerjaan",
            "memanfaatkan jalan baru untuk mengangkut hasil panen",
        ),
        purpose=(
            "biaya logistik turun",
            "akses warga ke layanan dasar semakin mudah",
            "produksi pertanian meningkat",
            "konektivitas antarwilayah semakin baik",
        ),
        facility=(
            "ruas jalan provinsi",
            "bendungan",
            "jembatan penghubung antardesa",
            "instalasi pengolahan air",
        ),
        claim=(
            "pembangunan dilakukan sesuai spesifikasi teknis",
            "anggaran infrastruktur diprioritaskan untuk daerah tertinggal",
            "pengerjaan melibatkan tenaga kerja lokal",
            "aktifitas warga tidak akan terganggu selama pengerjaan",
        ),
    ),
    _topic(
        "pajak",
        "#TaatPajak",
        (
            "Pemutihan Denda Pajak Kendaraan di {place} Diperpanjang",
            "Lapor SPT Tahunan Sebelum {date}, Jangan Sampai Terlambat",
            "Penerimaan Pajak Daerah {place} Capai Rp{amount} Miliar",
            "Bayar PBB Kini Bisa Lewat Aplikasi di {place}",
        ),
        subject=(
            "penerimaan pajak daerah",
            "kepatuhan wajib pajak",
            "pelaporan SPT tahunan",
            "pembayaran PBB",
            "pajak kendaraan bermotor",
        ),
        program=(
            "pemutihan denda pajak kendaraan",
            "layanan Samsat keliling",
            "pembayaran PBB secara daring",
            "pojok pajak di pusat perbelanjaan",
            "asistensi pengisian SPT",
        ),
        benef=(
            "wajib pajak",
            "pemilik kendaraan",
            "pelaku usaha",
            "pegawai negeri",
            "warga pemilik lahan",
        ),
        counted=(
            "wajib pajak telah melapor secara daring",
            "kendaraan bermotor memanfaatkan program pemutihan",
            "objek pajak sudah dimutakhirkan datanya",
            "laporan SPT masuk sebelum batas waktu",
        ),
        status=(
            "telah melunasi kewajibannya",
            "sudah melapor secara daring",
            "memanfaatkan program pemutihan",
            "tercatat menunggak",
        ),
        action=(
            "melaporkan SPT sebelum batas waktu",
            "memanfaatkan program pemutihan denda selagi masih berlaku",
            "membayar pajak melalui kanal resmi",
            "mengecek tagihan melalui aplikasi",
        ),
        purpose=(
            "pembangunan daerah terus berjalan",
            "penerimaan daerah meningkat",
            "pelayanan publik semakin baik",
            "wajib pajak terhindar dari denda",
        ),
        facility=(
            "kantor Samsat",
            "kantor pelayanan pajak",
            "gerai Samsat keliling",
            "Mal Pelayanan Publik",
        ),
        claim=(
            "pajak yang dibayarkan kembali kepada masyarakat dalam bentuk pembangunan",
            "pembayaran pajak kini dapat dilakukan tanpa antre",
            "denda keterlambatan dihapus selama masa pemutihan",
            "ijin usaha akan lebih mudah diurus bagi wajib pajak yang patuh",
        ),
    ),
    _topic(
        "umkm",
        "#UMKMNaikKelas",
        (
            "{num} UMKM di {place} Ikuti Pelatihan Pemasaran Digital",
            "Produk UMKM {place} Tembus Pasar Ekspor",
            "Bazar UMKM {place} Catat Transaksi Rp{amount} Juta",
            "Sertifikasi Halal Gratis untuk Pelaku UMKM di {place}",
        ),
        subject=(
            "pemberdayaan UMKM",
            "sertifikasi halal",
            "penyaluran KUR",
            "digitalisasi usaha mikro",
            "ekspor produk lokal",
        ),
        program=(
            "pelatihan pemasaran digital",
            "sertifikasi halal gratis",
            "kredit usaha rakyat",
            "kurasi produk untuk pasar ekspor",
            "bazar produk lokal",
        ),
        benef=(
            "pelaku UMKM",
            "perajin tenun",
            "pengusaha kuliner",
            "kelompok tani",
            "pelaku usaha perempuan",
        ),
        counted=(
            "sertifikat halal telah diterbitkan",
            "produk lokal lolos kurasi ekspor",
            "akun toko daring baru dibuka",
            "nomor induk berusaha telah diterbitkan",
        ),
        status=(
            "telah terdaftar di katalog elektronik",
            "sudah mengantongi NIB",
            "lolos kurasi",
            "menerima pendampingan",
        ),
        action=(
            "mendaftarkan usahanya untuk memperoleh NIB",
            "memanfaatkan platform digital untuk memperluas pasar",
            "mengikuti kurasi produk yang digelar dinas koperasi",
            "membeli produk lokal di bazar UMKM",
        ),
        purpose=(
            "UMKM naik kelas",
            "produk lokal mampu bersaing",
            "lapangan kerja bertambah",
            "perputaran ekonomi daerah meningkat",
        ),
        facility=(
            "rumah kreatif",
            "galeri UMKM",
            "pusat layanan usaha terpadu",
            "gedung serbaguna",
        ),
        claim=(
            "UMKM menjadi tulang punggung perekonomian daerah",
            "digitalisasi membuka akses pasar yang lebih luas",
            "pendampingan diberikan secara berkelanjutan",
            "sertifikasi halal meningkatkan kepercayaan konsumen",
        ),
    ),
    _topic(
        "banjir",
        "#SiagaBencana",
        (
            "Banjir Rendam {num} Rumah di {place}, Warga Diminta Waspada",
            "BPBD {place} Tetapkan Status Siaga Darurat Banjir",
            "Waspada Cuaca Ekstrem di {place} hingga {date}",
            "{num} Warga Terdampak Banjir di {place} Terima Bantuan Logistik",
        ),
        subject=(
            "penanganan banjir",
            "kesiapsiagaan bencana",
            "evakuasi warga",
            "penyaluran logistik darurat",
            "normalisasi sungai",
        ),
        program=(
            "penyaluran bantuan logistik",
            "pembersihan saluran drainase",
            "simulasi evakuasi bencana",
            "pendirian dapur umum",
            "pemasangan alat peringatan dini",
        ),
        benef=("warga terdampak", "pengungsi", "relawan", "anak-anak dan lansia", "petugas BPBD"),
        counted=(
            "rumah terendam banjir",
            "hektare sawah terancam gagal panen",
            "paket logistik telah disalurkan",
            "perahu karet disiagakan di titik rawan",
        ),
        status=(
            "telah dievakuasi",
            "menerima bantuan logistik",
            "mengungsi ke posko terdekat",
            "sudah kembali ke rumah",
        ),
        action=(
            "mewaspadai potensi banjir susulan",
            "membersihkan saluran air di lingkungan",
            "segera mengungsi jika air terus naik",
            "memantau peringatan dini dari BMKG",
        ),
        purpose=(
            "tidak ada korban jiwa",
            "kebutuhan dasar pengungsi terpenuhi",
            "dampak bencana dapat diminimalkan",
            "warga dapat segera kembali ke rumah",
        ),
        facility=("posko pengungsian", "dapur umum", "pos pantau sungai", "gedung sekolah"),
        claim=(
            "curah hujan tinggi diperkirakan masih akan terjadi",
            "warga di bantaran sungai diimbau meningkatkan kewaspadaan",
            "resiko banjir bandang meningkat di wilayah hulu",
            "himbauan evakuasi disampaikan melalui pengeras suara masjid",
        ),
    ),
    _topic(
        "pendidikan",
        "#MerdekaBelajar",
        (
            "PPDB {place} Dibuka, Simak Jadwal dan Syaratnya",
            "{num} Siswa di {place} Terima Program Indonesia Pintar",
            "Sekolah Rusak di {place} Direhabilitasi Tahun Ini",
            "Guru Penggerak {place} Berbagi Praktik Baik Kurikulum Merdeka",
        ),
        subject=(
            "penerimaan peserta didik baru",
            "penyaluran PIP",
            "rehabilitasi sekolah",
            "implementasi Kurikulum Merdeka",
            "angka partisipasi sekolah",
        ),
        program=(
            "Program Indonesia Pintar",
            "rehabilitasi ruang kelas",
            "pelatihan guru penggerak",
            "beasiswa daerah berprestasi",
            "gerakan literasi sekolah",
        ),
        benef=(
            "siswa",
            "guru honorer",
            "mahasiswa berprestasi",
            "sekolah penggerak",
            "anak putus sekolah",
        ),
        counted=(
            "ruang kelas telah direhabilitasi",
            "paket buku bacaan sudah diterima sekolah",
            "beasiswa telah dicairkan",
            "laptop sekolah dibagikan ke sekolah dasar",
        ),
        status=(
            "telah menerima dana PIP",
            "sudah lolos seleksi",
            "mengikuti pelatihan",
            "dalam proses verifikasi",
        ),
        action=(
            "mendaftarkan anak-anak pada jalur yang sesuai",
            "memantau jadwal PPDB melalui laman resmi",
            "mendampingi anak belajar di rumah",
            "melaporkan pungutan liar di sekolah",
        ),
        purpose=(
            "tidak ada anak yang putus sekolah",
            "mutu pendidikan merata",
            "proses seleksi berjalan transparan",
            "siswa belajar dengan nyaman",
        ),
        facility=(
            "sekolah dasar negeri",
            "SMP negeri",
            "perpustakaan daerah",
            "gedung balai guru penggerak",
        ),
        claim=(
            "pendaftaran PPDB tidak dipungut biaya",
            "zonasi bertujuan memeratakan akses pendidikan",
            "guru merupakan ujung tombak transformasi pendidikan",
            "silahkan orang tua bertanya langsung kepada panitia sekolah",
        ),
    ),
    _topic(
        "kesehatan",
        "#IndonesiaSehat",
        (
            "Layanan Cek Kesehatan Gratis Dibuka di {num} Puskesmas {place}",
            "Waspada DBD, Kasus di {place} Naik {pct} Persen",
            "{place} Perluas Kepesertaan JKN hingga {pct} Persen",
            "RSUD {place} Kini Layani Cuci Darah",
        ),
        subject=(
            "kepesertaan JKN",
            "pengendalian demam berdarah",
            "layanan kesehatan primer",
            "pemeriksaan kesehatan gratis",
            "penanganan tuberkulosis",
        ),
        program=(
            "pemeriksaan kesehatan gratis",
            "gerakan 3M Plus",
            "skrining tuberkulosis",
            "layanan puskesmas keliling",
            "Universal Health Coverage",
        ),
        benef=(
            "peserta JKN",
            "lansia",
            "pasien tuberkulosis",
            "warga kurang mampu",
            "ibu dan anak",
        ),
        counted=(
            "kasus DBD telah ditangani",
            "peserta JKN baru terdaftar",
            "tenaga kesehatan ditempatkan di puskesmas",
            "ambulans desa siap beroperasi",
        ),
        status=(
            "telah ditangani",
            "tercatat di dinas kesehatan",
            "mendapat layanan gratis",
            "sudah sembuh",
        ),
        action=(
            "menerapkan gerakan 3M Plus di rumah masing-masing",
            "memeriksakan kesehatan secara rutin",
            "mengaktifkan kembali kepesertaan JKN",
            "segera ke fasilitas kesehatan jika demam tidak turun",
        ),
        purpose=(
            "angka kesakitan menurun",
            "layanan kesehatan terjangkau bagi semua",
            "kasus baru dapat ditekan",
            "warga terlindungi jaminan kesehatan",
        ),
        facility=("puskesmas", "RSUD", "klinik pratama", "pos kesehatan desa"),
        claim=(
            "pencegahan lebih baik daripada pengobatan",
            "peserta JKN berhak atas layanan tanpa biaya tambahan",
            "fogging bukan satu-satunya cara memberantas nyamuk",
            "deteksi dini meningkatkan peluang kesembuhan",
        ),
    ),
    _topic(
        "digitalisasi",
        "#TransformasiDigital",
        (
            "{num} Desa di {place} Kini Terjangkau Internet",
            "Pelatihan Literasi Digital untuk {num} Warga {place}",
            "Mal Pelayanan Publik Digital Diluncurkan di {place}",
            "Layanan Adminduk {place} Kini Bisa Diurus Secara Daring",
        ),
        subject=(
            "transformasi digital",
            "literasi digital",
            "pemerataan akses internet",
            "layanan publik berbasis elektronik",
            "keamanan data pribadi",
        ),
        program=(
            "pelatihan literasi digital",
            "pembangunan BTS 4G",
            "penyediaan akses internet di desa",
            "Identitas Kependudukan Digital",
            "gerakan nasional literasi digital",
        ),
        benef=("warga desa", "aparatur desa", "pelajar", "pelaku usaha", "lansia"),
        counted=(
            "titik akses internet telah aktif",
            "BTS baru sudah beroperasi",
            "aplikasi layanan telah terintegrasi",
            "akun IKD sudah diaktifkan",
        ),
        status=(
            "telah mengikuti pelatihan literasi digital",
            "sudah mengaktifkan IKD",
            "memanfaatkan layanan daring",
            "terhubung internet untuk pertama kalinya",
        ),
        action=(
            "menjaga kerahasiaan kode OTP",
            "mengaktifkan Identitas Kependudukan Digital",
            "memanfaatkan layanan daring untuk mengurus dokumen",
            "berhati-hati membagikan data pribadi di media sosial",
        ),
        purpose=(
            "pelayanan publik lebih cepat",
            "kesenjangan digital berkurang",
            "data pribadi warga terlindungi",
            "desa semakin terhubung",
        ),
        facility=("balai desa", "ruang command center", "Mal Pelayanan Publik", "kantor Dukcapil"),
        claim=(
            "akses internet merupakan kebutuhan dasar masyarakat",
            "layanan digital memangkas waktu dan biaya pengurusan dokumen",
            "keamanan siber adalah tanggung jawab bersama",
            "aktifitas digital warga harus aman dan produktif",
        ),
    ),
    _topic(
        "hoaks",
        "#LawanHoaks",
        (
            "[HOAKS] Pesan Berantai Soal {subject_title} di {place}",
            "Cek Fakta: Kabar {subject_title} Tidak Benar",
            "Waspada Penipuan Mengatasnamakan Pejabat {place}",
            "Klarifikasi: Informasi {subject_title} di {place} Keliru",
        ),
        subject=(
            "penyebaran hoaks",
            "penipuan daring",
            "pesan berantai",
            "akun palsu pejabat",
            "disinformasi pemilu",
        ),
        subject_title=(
            "Pembagian Bansos Lewat Tautan",
            "Rekrutmen Pegawai Tanpa Tes",
            "Pemadaman Listrik Total",
            "Vaksin Mengandung Chip",
            "Pemotongan Gaji ASN",
        ),
        program=(
            "patroli siber",
            "klarifikasi informasi",
            "pelaporan konten negatif",
            "edukasi literasi digital",
            "kanal aduan konten",
        ),
        benef=(
            "pengguna media sosial",
            "warga lanjut usia",
            "pelajar",
            "anggota grup WhatsApp",
            "jurnalis warga",
        ),
        counted=(
            "konten hoaks telah diturunkan",
            "akun palsu sudah dilaporkan ke platform",
            "tautan penipuan telah diblokir",
            "laporan aduan sedang ditelusuri",
        ),
        status=(
            "telah menerima edukasi literasi digital",
            "sempat menerima pesan penipuan",
            "melapor melalui kanal aduan",
            "mengikuti kelas cek fakta",
        ),
        action=(
            "memeriksa kebenaran informasi sebelum membagikannya",
            "melaporkan konten hoaks melalui aduankonten.id",
            "tidak mengklik tautan dari nomor yang tidak dikenal",
            "merujuk informasi dari kanal resmi pemerintah",
        ),
        purpose=(
            "ruang digital tetap sehat",
            "warga tidak menjadi korban penipuan",
            "informasi yang beredar dapat dipertanggungjawabkan",
            "persatuan tetap terjaga",
        ),
        facility=("ruang AIS Kominfo", "kantor Diskominfo", "command center", "pusat data daerah"),
        claim=(
            "informasi tersebut tidak benar dan tidak bersumber dari instansi resmi",
            "pemerintah tidak pernah meminta data pribadi melalui pesan berantai",
            "penyebar hoaks dapat dijerat sanksi sesuai undang-undang",
            "tautan yang beredar mengarah ke situs penipuan",
        ),
    ),
    _topic(
        "pangan",
        "#KetahananPangan",
        (
            "Panen Raya Padi di {place} Capai {num} Ton",
            "{place} Kembangkan {num} Hektare Lahan Pekarangan Lestari",
            "Stok Pangan {place} Aman hingga {date}",
            "Petani {place} Terima Bantuan Benih dan Pupuk",
        ),
        subject=(
            "produksi padi",
            "ketahanan pangan",
            "penyaluran pupuk bersubsidi",
            "cadangan pangan daerah",
            "diversifikasi pangan lokal",
        ),
        program=(
            "bantuan benih unggul",
            "penyaluran pupuk bersubsidi",
            "pekarangan pangan lestari",
            "cadangan pangan pemerintah daerah",
            "gerakan tanam serentak",
        ),
        benef=("petani", "kelompok wanita tani", "penyuluh pertanian", "nelayan", "peternak"),
        counted=(
            "ton gabah telah dipanen",
            "hektare lahan siap tanam",
            "kilogram benih sudah disalurkan",
            "ton beras masuk gudang cadangan",
        ),
        status=(
            "telah menerima bantuan benih",
            "sudah menebus pupuk bersubsidi",
            "mengikuti sekolah lapang",
            "tergabung dalam kelompok tani",
        ),
        action=(
            "memanfaatkan pekarangan untuk menanam sayuran",
            "mengonsumsi pangan lokal selain beras",
            "menebus pupuk bersubsidi di kios resmi",
            "melaporkan serangan hama kepada penyuluh",
        ),
        purpose=(
            "stok pangan daerah aman",
            "pendapatan petani meningkat",
            "ketergantungan pada beras berkurang",
            "swasembada pangan tercapai",
        ),
        facility=(
            "sawah percontohan",
            "gudang cadangan pangan",
            "balai penyuluhan pertanian",
            "lumbung pangan desa",
        ),
        claim=(
            "produksi padi tahun ini diperkirakan meningkat",
            "kebutuhan pupuk petani terpenuhi tepat waktu",
            "pangan lokal memiliki gizi yang tidak kalah dari beras",
            "kwalitas gabah petani terus membaik berkat pendampingan",
        ),
    ),
)
TOPIC_BY_NAME: dict[str, Topic] = {t.name: t for t in TOPICS}

_GENERIC: dict[str, tuple[str, ...]] = {
    "title": (
        "Menteri Komunikasi dan Informatika",
        "Dirjen Informasi dan Komunikasi Publik",
        "Kepala Diskominfo",
        "Penjabat Gubernur",
        "Sekretaris Daerah",
        "Bupati",
        "Wali Kota",
        "Kepala Dinas Kesehatan",
        "Kepala Bappeda",
        "Juru Bicara Kementerian",
        "Staf Ahli Menteri",
        "Kepala Dinas Sosial",
        "Kepala BPBD",
        "Camat",
        "Kepala Dinas Pendidikan",
        "Asisten Pemerintahan",
    ),
    "first": (
        "Ahmad",
        "Siti",
        "Budi",
        "Dewi",
        "Agus",
        "Rina",
        "Hendra",
        "Yulia",
        "Eko",
        "Fitri",
        "Rudi",
        "Nurul",
        "Bambang",
        "Ratna",
        "Andi",
        "Wayan",
        "Made",
        "Yohanes",
        "Maria",
        "Fransiskus",
        "Teuku",
        "Cut",
        "La Ode",
        "Daeng",
        "Irwan",
        "Sri",
    ),
    "last": (
        "Fauzi",
        "Rahmawati",
        "Santoso",
        "Lestari",
        "Suryana",
        "Wulandari",
        "Gunawan",
        "Pratama",
        "Hidayat",
        "Siregar",
        "Nasution",
        "Sinaga",
        "Saputra",
        "Kurniawan",
        "Susanti",
        "Wibowo",
        "Hasibuan",
        "Manurung",
        "Tanjung",
        "Mahendra",
        "Sitorus",
        "Rumbewas",
        "Latuconsina",
        "Pattiradjawane",
        "Sudirman",
        "Harahap",
    ),
    "say": (
        "menyampaikan",
        "menegaskan",
        "menjelaskan",
        "mengungkapkan",
        "memastikan",
        "mengatakan",
    ),
    "audience": (
        "masyarakat",
        "seluruh warga",
        "para orang tua",
        "generasi muda",
        "pelaku usaha",
        "aparatur sipil negara",
        "tokoh agama dan tokoh masyarakat",
        "pengguna media sosial",
        "para kepala desa",
        "warga di daerah rawan",
    ),
    "group": (
        "kelurahan",
        "desa",
        "sekolah",
        "organisasi perangkat daerah",
        "puskesmas",
        "komunitas",
        "kecamatan",
        "lembaga kemasyarakatan",
    ),
    "channel": (
        "aplikasi resmi pemerintah daerah",
        "layanan WhatsApp pengaduan",
        "kantor kelurahan terdekat",
        "laman resmi dinas",
        "call center 112",
        "Mal Pelayanan Publik",
        "akun media sosial resmi pemda",
    ),
    "hours": (
        "pukul 08.00 hingga 16.00",
        "pukul 07.30 sampai 15.30 WIB",
        "selama 24 jam",
        "mulai pukul 09.00",
        "pada jam kerja",
    ),
    "scope": (
        "kabupaten/kota",
        "desa dan kelurahan",
        "wilayah Indonesia",
        "kecamatan",
        "provinsi",
        "daerah tertinggal",
    ),
    "agency": (
        "Badan Pusat Statistik",
        "dinas terkait",
        "Kementerian Kesehatan",
        "pemerintah provinsi",
        "BPBD",
        "Dukcapil",
        "Kementerian Sosial",
        "BMKG",
    ),
    "scale": ("miliar", "juta", "triliun"),
    "meeting": (
        "rapat koordinasi",
        "apel siaga",
        "sosialisasi",
        "rapat evaluasi",
        "pertemuan lintas sektor",
        "forum konsultasi publik",
    ),
}

SENTENCES: tuple[str, ...] = (
    "{official} {say} bahwa {claim}, terutama di {place} dan sekitarnya.",
    "Hingga {date}, {program} telah menjangkau {num} {benef} di {place}.",
    "Pada {day_date}, {official} meninjau {facility} di {place} untuk memastikan {purpose}.",
    "{official} mengajak {audience} untuk {action} agar {purpose}.",
    "Anggaran sebesar Rp{amount} {scale} disiapkan untuk {program} pada tahun {year}.",
    "Capaian {subject} di {place} naik {pct} persen dibandingkan periode yang sama tahun lalu.",
    "Sebanyak {num} {benef} dari {n2} kecamatan tercatat {status} per {date}.",
    "Masyarakat dapat {action} melalui {channel} yang dibuka {hours}.",
    "Menurut {official}, {claim} sehingga {purpose} pada {month} {year}.",
    "Kegiatan di {facility} {village} ini diikuti {num} peserta dari berbagai {group}.",
    "Pemerintah memastikan {program} berjalan transparan dan akuntabel di seluruh {scope}.",
    "{official} menargetkan {subject} di {place} mencapai {pct} persen pada akhir {year}.",
    "Data {agency} per {date} menunjukkan {num} {counted} di {n2} kabupaten/kota.",
    "Masing-masing {group} diminta berkoordinasi dengan {official} paling lambat {date}.",
    "Sesuai amanat undang-undang, {claim}, kata {official} dalam {meeting} di {place}.",
    "Dalam {meeting} pada {day_date}, {official} {say} bahwa {subject} menjadi prioritas.",
    "Warga {village} di {place} menyambut baik {program} yang dimulai sejak {month}.",
    "Hingga pekan ini, tercatat {num} {counted} di {place}.",
    "{official} menghimbau {audience} agar {action}.",
    "Silahkan hubungi {channel} apabila menemukan kendala terkait {subject}.",
    "Pemerintah terus berupaya agar {purpose} di {place} dan daerah sekitarnya.",
    "Warga diimbau tidak mudah percaya pada informasi yang belum jelas sumbernya.",
)
# Sentences every office writes: boilerplate that must not link unrelated posts.
BOILERPLATE = (
    "Warga diimbau tidak mudah percaya pada informasi yang belum jelas sumbernya.",
    "Mari bersama-sama wujudkan Indonesia Maju!",
    "Jangan lupa follow akun resmi kami untuk informasi terbaru.",
)
AMPLIFY = (
    "Mohon bantuan rekan-rekan untuk mengamplifikasi konten ini di kanal masing-masing. "
    "Terima kasih."
)
"""The distribution group's request line, which copies drop."""

_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_ALL_PLACES: tuple[str, ...] = tuple(
    name for _, province, _, regencies in PROVINCES for name in (province, *regencies)
)
_SLOT = re.compile(r"\{(\w+)\}")


def _num(rng: random.Random) -> str:
    value = int(12 * 2000 ** rng.random())
    return f"{value:,}".replace(",", ".")


def _pct(rng: random.Random) -> str:
    return f"{rng.uniform(1.2, 96.0):.1f}".replace(".", ",")


def _amount(rng: random.Random) -> str:
    value = rng.randint(2, 950)
    return f"{value},{rng.randint(1, 9)}" if rng.random() < 0.4 else str(value)


def _date(rng: random.Random, around: date | None) -> date:
    """A day of 2024, or within three weeks before and a week after `around`."""
    if around is None:
        return date(2024, 1, 1) + timedelta(days=rng.randrange(366))
    return around + timedelta(days=rng.randint(-21, 7))


def _fmt_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _fmt_day_date(day: date) -> str:
    return f"{_DAYS[day.weekday()]} ({day.day}/{day.month}/{day.year})"


@dataclass(slots=True)
class _Filler:
    """Fills template slots for one text: topic phrases, generic phrases, fresh facts."""

    rng: random.Random
    topic: Topic
    home: str | None = None
    around: date | None = None
    """The day the text is posted: its dates fall near it, not months ahead."""

    def place(self) -> str:
        if self.home is not None and self.rng.random() < 0.7:
            return self.home
        return _ALL_PLACES[int(self.rng.random() * len(_ALL_PLACES))]

    def slot(self, name: str) -> str:
        rng = self.rng
        values = self.topic.slots.get(name) or _GENERIC.get(name)
        if values:
            return values[int(rng.random() * len(values))]
        match name:
            case "place":
                return self.place()
            case "official":
                g = _GENERIC
                return f"{rng.choice(g['title'])} {rng.choice(g['first'])} {rng.choice(g['last'])}"
            case "num":
                return _num(rng)
            case "n2":
                return str(rng.randint(2, 40))
            case "pct":
                return _pct(rng)
            case "amount":
                return _amount(rng)
            case "date":
                return _fmt_date(_date(rng, self.around))
            case "day_date":
                return _fmt_day_date(_date(rng, self.around))
            case "month":
                if self.around is not None:
                    return _MONTHS[(self.around.month - 1 + rng.randint(-2, 4)) % 12]
                return _MONTHS[rng.randrange(12)]
            case "year":
                return "2024" if rng.random() < 0.7 else "2025"
            case "village":
                return "Desa " + rng.choice(_VILLAGES)
            case "subject_title":
                return rng.choice(self.topic.slots["subject"]).title()
        raise KeyError(f"unknown template slot {name!r}")

    def fill(self, template: str) -> str:
        text = _SLOT.sub(lambda m: self.slot(m.group(1)), template)
        return text[:1].upper() + text[1:]


def make_release_text(
    rng: random.Random,
    topic: Topic,
    title: str | None = None,
    whatsapp: bool = False,
    around: date | None = None,
) -> str:
    """A release caption: a title line, then 2–5 sentences, 40–120 words in all.

    Facts (numbers, places, dates, names) are drawn afresh for every slot, so two
    releases on one topic share few runs of six words.
    """
    filler = _Filler(rng, topic, None, around)
    title = title or filler.fill(rng.choice(topic.titles))
    words = len(title.split())
    sentences: list[str] = []
    for template in rng.sample(SENTENCES, 5):
        sentence = filler.fill(template)
        n = len(sentence.split())
        if sentences and (
            words + n > 120 or (len(sentences) >= 2 and words >= 40 and rng.random() < 0.4)
        ):
            break
        sentences.append(sentence)
        words += n
    half = (len(sentences) + 1) // 2
    body = " ".join(sentences[:half]) + "\n\n" + " ".join(sentences[half:])
    head = f"*{title}*" if whatsapp else title
    return f"{head}\n\n{body.strip()}"


_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def make_local_text(
    rng: random.Random, topic: Topic, office: Office, around: date | None = None
) -> str:
    """An office's own post: same genre and boilerplate as copies, different facts."""
    filler = _Filler(rng, topic, office.region, around)
    # A local post is about a local event: its title names the day, so one office's
    # posts on a topic do not repeat a title word for word (its copies of a release do).
    day = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}"
    parts = [f"{filler.fill(rng.choice(topic.titles))}, {rng.choice(_DAYS)} {day}"]
    body = " ".join(filler.fill(t) for t in rng.sample(SENTENCES, rng.randint(1, 3)))
    if rng.random() < 0.25:
        body += " " + rng.choice(BOILERPLATE)
    parts.append(body)
    if rng.random() < 0.6:
        parts.insert(0, office.greeting)
    if rng.random() < 0.25:
        parts.append(office.local_line)
    if rng.random() < 0.7:
        parts.append(_hashtag_line(rng, office, topic))
    return "\n\n".join(parts)


def _hashtag_line(rng: random.Random, office: Office, topic: Topic | None = None) -> str:
    tags = list(office.hashtags[: rng.randint(1, len(office.hashtags))])
    if topic is not None and rng.random() < 0.6:
        tags.append(topic.hashtag)
    tags += rng.sample(GENERIC_HASHTAGS, rng.randint(1, 3))
    return " ".join(dict.fromkeys(tags))


# --- edits --------------------------------------------------------------------------

Edit = Callable[[str, random.Random, Office], str]

_WORD5 = re.compile(r"[^\W\d_]{5,}")
_REDUP = re.compile(r"\b([^\W\d_]{2,})-\1\b", re.IGNORECASE)
_TOKEN = re.compile(r"\S+")
_EMOJI = ("📢", "✅", "🇮🇩", "👉", "📌", "🙏", "💪", "🔥", "📣", "ℹ️")
# Non-standard spellings that copy editors fix (KBBI: imbauan, risiko, aktivitas, …).
_SPELLING = {
    "himbauan": "imbauan",
    "menghimbau": "mengimbau",
    "resiko": "risiko",
    "aktifitas": "aktivitas",
    "ijin": "izin",
    "silahkan": "silakan",
    "kwalitas": "kualitas",
    "praktek": "praktik",
    "merubah": "mengubah",
}
_NONSTANDARD = re.compile(r"\b(" + "|".join(_SPELLING) + r")\b", re.IGNORECASE)


def add_greeting(text: str, rng: random.Random, office: Office) -> str:
    """The office's own salutation on top, as almost every regional admin does."""
    if text.lstrip().startswith(office.greeting):
        return text  # already greeted (a title-only copy keeps the greeting)
    sep = "\n\n" if rng.random() < 0.7 else " "
    return f"{office.greeting}{sep}{text}"


def add_hashtags(text: str, rng: random.Random, office: Office) -> str:
    """The office's hashtags and a few of the ministry's generic ones at the end."""
    return f"{text}\n\n{_hashtag_line(rng, office)}"


def truncate_more(text: str, rng: random.Random, office: Office) -> str:
    """Cut at a word boundary, as a feed or a scraper shows a long caption."""
    tokens = list(_TOKEN.finditer(text))
    if len(tokens) < 20:
        return text
    keep = max(12, int(len(tokens) * rng.uniform(0.35, 0.8)))
    marker = "… more" if rng.random() < 0.6 else "... selengkapnya"
    return f"{text[: tokens[keep - 1].end()]}{marker}"


def add_typos(text: str, rng: random.Random, office: Office) -> str:
    """Swap, drop or double one letter in 1–3 words of five letters or more."""
    words = [m for m in _WORD5.finditer(text) if m.start() == 0 or text[m.start() - 1] != "#"]
    if not words:
        return text
    picked = sorted(rng.sample(words, min(len(words), rng.randint(1, 3))), key=lambda m: m.start())
    out, last = [], 0
    for m in picked:
        word = m.group()
        i = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(3)
        if kind == 0:
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == 1:
            word = word[:i] + word[i + 1 :]
        else:
            word = word[:i] + word[i] + word[i:]
        out += [text[last : m.start()], word]
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def fix_spelling(text: str, rng: random.Random, office: Office) -> str:
    """Correct the release's non-standard spellings (himbauan → imbauan, resiko → risiko)."""

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        right = _SPELLING[word.lower()]
        return right[:1].upper() + right[1:] if word[:1].isupper() else right

    return _NONSTANDARD.sub(fix, text)


def keep_title(text: str, rng: random.Random, office: Office) -> str:
    """Only the release's title line, often under the office's greeting."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # Skip greetings a source copy already carries (they end in "," or "!").
    title = next(
        (line for line in lines if not line.endswith((",", "!"))), lines[0] if lines else ""
    )
    if rng.random() < 0.5:
        return f"{office.greeting}\n{title}"
    return title


def add_local_line(text: str, rng: random.Random, office: Office) -> str:
    """The office's own closing line (call center, website)."""
    return f"{text}\n\n{office.local_line}"


def add_emoji(text: str, rng: random.Random, office: Office) -> str:
    """A few emoji at the start, after the first line and at the end."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        where = rng.randrange(3)
        mark = rng.choice(_EMOJI)
        if where == 0:
            lines[0] = f"{mark} {lines[0]}"
        elif where == 1:
            lines[0] = f"{lines[0]} {mark}"
        else:
            lines[-1] = f"{lines[-1]} {mark}"
    return "\n".join(lines)


def reduplicate(text: str, rng: random.Random, office: Office) -> str:
    """Informal reduplication: "undang-undang" → "undang2", "masing-masing" → "masing2"."""
    return _REDUP.sub(r"\g<1>2", text)


def change_case(text: str, rng: random.Random, office: Office) -> str:
    """Shout the title, lowercase everything, or title-case the first line."""
    head, sep, rest = text.partition("\n")
    match rng.randrange(3):
        case 0:
            return head.upper() + sep + rest
        case 1:
            return text.lower()
        case _:
            return head.title() + sep + rest


EDITS: dict[str, Edit] = {
    "fix_spelling": fix_spelling,
    "typos": add_typos,
    "reduplication": reduplicate,
    "case": change_case,
    "title_only": keep_title,
    "truncate": truncate_more,
    "greeting": add_greeting,
    "local_line": add_local_line,
    "hashtags": add_hashtags,
    "emoji": add_emoji,
}
"""Every edit, in the order a copy applies them (content first, decoration after)."""
_EDIT_NAMES = tuple(EDITS)
_EDIT_WEIGHTS = (4, 6, 3, 3, 2, 5, 12, 4, 12, 5)


def pick_edits(rng: random.Random) -> tuple[str, ...]:
    """Usually 1–3 edits, weighted to what admins do most: greeting and hashtags."""
    k = rng.choices((1, 2, 3, 4), weights=(40, 35, 20, 5))[0]
    chosen: set[str] = set()
    while len(chosen) < k:
        chosen.add(rng.choices(_EDIT_NAMES, weights=_EDIT_WEIGHTS)[0])
    if "title_only" in chosen:
        chosen.discard("truncate")
    return tuple(name for name in _EDIT_NAMES if name in chosen)


def apply_edits(text: str, rng: random.Random, office: Office, names: Sequence[str]) -> str:
    for name in _EDIT_NAMES:
        if name in names:
            text = EDITS[name](text, rng, office)
    return text


# --- rendering ----------------------------------------------------------------------


def account_zone(account: Account, office: Office) -> timezone:
    """The offset an export shows: X and TikTok exports say UTC, the others local time."""
    if account.platform in ("x", "tiktok"):
        return UTC
    if account.platform == "whatsapp":
        return WIB
    return ZONES[office.utc_offset]


def post_url(account: Account, post_id: str) -> str | None:
    match account.platform:
        case "instagram":
            return f"https://instagram.com/p/{post_id}"
        case "facebook":
            return f"https://facebook.com/{account.handle}/posts/{post_id}"
        case "x":
            return f"https://x.com/{account.handle}/status/{post_id}"
        case "tiktok":
            return f"https://tiktok.com/@{account.handle}/video/{post_id}"
        case "web":
            return f"https://{account.handle}/berita/{post_id}"
    return None


def local_iso(moment: datetime) -> str:
    """ISO 8601 in the instant's own offset, `Z` for UTC (DESIGN: all of them occur)."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def post_json_local(post: Post) -> dict[str, Any]:
    """`post_to_json`, but with the time in the post's own offset instead of UTC.

    `post_to_json` renders every instant in UTC; a synthetic corpus should carry the
    WIB/WITA/WIT offsets that real exports carry, so readers are tested on them.
    """
    out = post_to_json(post)
    out["published_at"] = local_iso(post.published_at)
    return out


# --- the scale corpus ---------------------------------------------------------------

START = datetime(2024, 1, 1, tzinfo=WIB)
YEAR_SECONDS = 366 * 86400
MIN_LAG = 600
MAX_LAG = 3 * 86400
# Per draw; a regency copy of a province copy that does not exist yet makes two posts,
# so these come out at ~2 % releases and ~25 % copies of the posts.
RELEASE_SHARE = 0.0225
COPY_SHARE = 0.2075


@dataclass(slots=True)
class _Source:
    post_id: str
    text: str
    ts: int
    province_copies: dict[str, _Source] = field(default_factory=dict)


def scale_offices(seed: int) -> list[Office]:
    """The full roster of the scale corpus: 38 provinces, 13 regencies each (~550 offices)."""
    return make_offices(random.Random(f"tracer-offices-{seed}"), 38, 13)


def _lag(rng: random.Random, longest: int = MAX_LAG) -> int:
    """10 minutes to `longest`, log-uniform: most copies come within hours."""
    return int(MIN_LAG * (longest / MIN_LAG) ** rng.random())


def _day(ts: int) -> date:
    return datetime.fromtimestamp(ts, WIB).date()


def iter_scale_corpus(seed: int, n_posts: int) -> Iterator[tuple[Post, str | None]]:
    """Stream `n_posts` posts of 2024, each with the release it copies (or None).

    ~2 % releases, ~25 % copies, the rest local posts. A release is its own family's
    release, so it is paired with its own id. Only recent releases and their province
    copies are held, so memory does not grow with `n_posts`.
    """
    offices = scale_offices(seed)
    rng = random.Random(f"tracer-posts-{seed}")
    central = offices[0]
    office_of = {a.account_id: o for o in offices for a in o.accounts}
    account_by_id = {a.account_id: a for o in offices for a in o.accounts}
    regional = [a for o in offices[1:] if o.tier != "other" for a in o.accounts]
    everyone = [a for o in offices[1:] for a in o.accounts]
    news = [a for o in offices if o.tier == "other" for a in o.accounts]
    zones = {a.account_id: account_zone(a, office_of[a.account_id]) for a in everyone}
    zones.update({a.account_id: account_zone(a, central) for a in central.accounts})
    recent: deque[_Source] = deque(maxlen=24)
    span = YEAR_SECONDS - MAX_LAG - 86400
    base = int(START.timestamp())
    count = 0

    def make(account: Account, ts: int, text: str) -> Post:
        nonlocal count
        post_id = f"p{count:07d}"
        count += 1
        when = datetime.fromtimestamp(ts, zones[account.account_id])
        return Post(post_id, account.account_id, when, text, (), post_url(account, post_id))

    def copy(account: Account, source: _Source, longest: int = MAX_LAG) -> Post:
        office = office_of[account.account_id]
        text = apply_edits(source.text, rng, office, pick_edits(rng))
        return make(account, source.ts + _lag(rng, longest), text)

    while count < n_posts:
        slot = base + (span * count) // n_posts + rng.randrange(max(1, span // n_posts))
        roll = rng.random()
        if not recent or roll < RELEASE_SHARE:
            account = central.accounts[rng.choices((0, 1, 2), weights=(5, 3, 2))[0]]
            wa = account.platform == "whatsapp"
            topic = TOPICS[rng.randrange(len(TOPICS))]
            body = make_release_text(rng, topic, whatsapp=wa, around=_day(slot))
            text = f"{body}\n\n{AMPLIFY}" if wa and rng.random() < 0.5 else body
            post = make(account, slot, text)
            recent.append(_Source(post.post_id, body, slot))
            yield post, post.post_id
        elif roll < RELEASE_SHARE + COPY_SHARE:
            pick = recent[int(len(recent) * rng.random() ** 0.5)]
            account = (
                news[rng.randrange(len(news))]
                if rng.random() < 0.03
                else (regional[rng.randrange(len(regional))])
            )
            parent_id = account.parent_id
            if parent_id and rng.random() < 0.3 and count + 1 < n_posts:
                source = pick.province_copies.get(parent_id)
                if source is None:
                    made = copy(account_by_id[parent_id], pick)
                    source = _Source(made.post_id, made.text, made.timestamp)
                    pick.province_copies[parent_id] = source
                    yield made, pick.post_id
                yield copy(account, source, 86400), pick.post_id
            else:
                post = copy(account, pick)
                if office_of[account.account_id].tier == "province":
                    pick.province_copies.setdefault(
                        account.account_id, _Source(post.post_id, post.text, post.timestamp)
                    )
                yield post, pick.post_id
        else:
            account = everyone[rng.randrange(len(everyone))]
            office = office_of[account.account_id]
            topic = TOPICS[rng.randrange(len(TOPICS))]
            text = make_local_text(rng, topic, office, _day(slot))
            yield make(account, slot, text), None


def make_scale_corpus(
    seed: int, n_posts: int
) -> tuple[list[Account], list[Post], dict[str, str | None]]:
    """The whole scale corpus in memory, for tests and small benchmarks."""
    posts: list[Post] = []
    truth: dict[str, str | None] = {}
    for post, release in iter_scale_corpus(seed, n_posts):
        posts.append(post)
        truth[post.post_id] = release
    return accounts_of(scale_offices(seed)), posts, truth


# --- the sample case ----------------------------------------------------------------

SAMPLE_SEED = 20240126
CASE_TITLE = "Presiden Punya Hak Politik, Acuannya UU Pemilu"
CASE_RELEASE_ID = "kominfo-wa-20240126-hakpolitik"
CASE_BANTEN_ID = "banten-ig-20240127"
CASE_SERANG_ID = "kab-serang-ig-20240127"
CASE_KOTA_SERANG_ID = "kota-serang-ig-20240127"
REGIONAL_ORIGIN_ID = "kab-garut-ig-20240305"
PREDATING_ID = "sumut-fb-20240408"
LATE_RELEASE_ID = "kemkominfo-x-20240408"

CASE_TEXT = "\n\n".join(
    (
        f"*{CASE_TITLE}*",
        "Presiden Joko Widodo menegaskan bahwa presiden, sama seperti setiap warga negara, "
        "memiliki hak politik. Namun, pelaksanaan hak tersebut tidak bisa dilepaskan dari aturan "
        "main yang berlaku, dan acuannya adalah Undang-Undang Nomor 7 Tahun 2017 tentang "
        "Pemilihan Umum.",
        "Dalam undang-undang tersebut, Pasal 299 menyebutkan bahwa presiden dan wakil presiden "
        "mempunyai hak melaksanakan kampanye. Sementara itu, Pasal 281 mengatur syaratnya: tidak "
        "menggunakan fasilitas dalam jabatan, kecuali fasilitas pengamanan, dan menjalani cuti di "
        "luar tanggungan negara.",
        "Presiden meminta agar ketentuan undang-undang tersebut dibaca secara utuh sehingga tidak "
        "menimbulkan salah tafsir di tengah masyarakat. Pemerintah juga memastikan seluruh "
        "aparatur sipil negara, TNI, dan Polri tetap menjaga netralitas selama tahapan "
        "Pemilu 2024.",
        "Mari bersama menjaga pemilu yang damai, jujur, dan adil.",
    )
)
"""The release: a neutral explainer of the statement and the articles of the election law."""

BANTEN_TEXT = "\n\n".join(
    (
        "Halo Sahabat Banten!",
        CASE_TITLE.upper(),
        "Presiden Joko Widodo menegaskan bahwa presiden, sama seperti setiap warga negara, "
        "memiliki hak politik. Acuannya adalah Undang-Undang Nomor 7 Tahun 2017 tentang "
        "Pemilihan Umum.",
        "Pasal 299 UU Pemilu menyebutkan presiden dan wakil presiden mempunyai hak melaksanakan "
        "kampanye, dengan syarat yang diatur Pasal 281: tidak menggunakan fasilitas dalam jabatan, "
        "kecuali fasilitas pengamanan, dan menjalani cuti di luar tanggungan negara.",
        "Yuk, baca aturannya secara utuh agar tidak salah tafsir! 🇮🇩",
        "#BantenMaju #PemprovBanten #PemiluDamai2024 #SobatKominfo",
    )
)
"""Banten's repost: greeting, shouted title, a shortened rewrite, its own hashtags."""


@dataclass(frozen=True, slots=True)
class SampleTruth:
    """What a correct trace and verify must say about one sample post.

    `parent` is the post it was really copied from (None for an origin); `altered`
    compares the text with its family's core (the release, else the origin), None for
    posts that copy nothing.
    """

    release: str | None
    parent: str | None
    copies_regional: bool
    verdict: Verdict
    altered: bool | None
    family: str | None
    edits: tuple[str, ...] = ()
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "parent": self.parent,
            "copies_regional": self.copies_regional,
            "verdict": self.verdict,
            "altered": self.altered,
            "family": self.family,
            "edits": list(self.edits),
            "note": self.note,
        }


# (account_id, local time, zone hours, edits; none for a verbatim copy). A regency that
# copies the release directly posts before its own province's copy on that platform:
# otherwise nothing in the data could tell its true parent from its province.
_CASE_COPIES: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("diskominfo_jabar_ig", "2024-01-27T08:02", 7, ("greeting", "hashtags")),
    ("diskominfo_jakarta_x", "2024-01-27T08:40", 0, ("title_only",)),
    ("diskominfo_jateng_ig", "2024-01-27T09:48", 7, ("greeting", "truncate")),
    ("diskominfo_jatim_fb", "2024-01-27T10:05", 7, ("greeting", "local_line", "hashtags")),
    ("diskominfo_kab_tangerang_fb", "2024-01-27T10:30", 7, ("reduplication", "hashtags")),
    ("diskominfo_diy_ig", "2024-01-27T11:15", 7, ("emoji", "hashtags")),
    ("diskominfo_bali_ig", "2024-01-27T11:20", 8, ("greeting", "hashtags")),
    ("diskominfo_sulsel_fb", "2024-01-27T12:03", 8, ("typos", "hashtags")),
    ("diskominfo_aceh_fb", "2024-01-27T12:44", 7, ()),
    ("diskominfo_sumut_ig", "2024-01-27T13:10", 7, ("greeting", "truncate")),
    ("diskominfo_kota_surabaya_ig", "2024-01-27T13:35", 7, ("case", "hashtags")),
    ("diskominfo_kaltim_ig", "2024-01-27T14:50", 8, ("greeting", "emoji", "hashtags")),
    ("diskominfo_papua_ig", "2024-01-27T16:20", 9, ("greeting", "hashtags")),
    ("diskominfo_kota_makassar_ig", "2024-01-27T17:05", 8, ("title_only", "hashtags")),
    ("diskominfo_ntb_fb", "2024-01-27T19:30", 8, ("local_line",)),
    ("diskominfo_kota_medan_tt", "2024-01-27T20:12", 0, ("title_only", "emoji")),
    ("diskominfo_riau_ig", "2024-01-28T07:55", 7, ("greeting", "reduplication", "hashtags")),
    ("diskominfo_lampung_ig", "2024-01-28T08:30", 7, ("truncate",)),
    ("diskominfo_kalbar_ig", "2024-01-28T09:02", 7, ("greeting", "typos")),
    ("diskominfo_maluku_fb", "2024-01-28T09:40", 9, ("greeting", "local_line", "hashtags")),
    ("diskominfo_sulut_ig", "2024-01-28T10:10", 8, ("emoji", "truncate")),
    ("diskominfo_kota_denpasar_ig", "2024-01-27T10:48", 8, ("greeting", "hashtags")),
    ("diskominfo_kab_garut_ig", "2024-01-27T07:41", 7, ("case", "greeting")),
    ("diskominfo_ntt_ig", "2024-01-28T12:15", 8, ("hashtags",)),
    ("diskominfo_gorontalo_ig", "2024-01-28T13:00", 8, ("greeting", "fix_spelling", "hashtags")),
    ("diskominfo_kota_ambon_ig", "2024-01-28T14:20", 9, ("title_only",)),
    ("diskominfo_kab_banyuwangi_fb", "2024-01-27T09:36", 7, ("greeting", "local_line")),
    ("diskominfo_malut_x", "2024-01-28T16:40", 0, ("title_only", "hashtags")),
    ("diskominfo_kab_mimika_fb", "2024-01-29T09:10", 9, ("greeting", "hashtags")),
    ("diskominfo_sumbar_x", "2024-01-29T10:25", 0, ("truncate", "hashtags")),
    ("diskominfo_kepri_fb", "2024-01-29T13:45", 7, ("typos", "greeting", "hashtags")),
    ("diskominfo_kab_sleman_ig", "2024-01-27T10:52", 7, ("greeting", "emoji")),
)


@dataclass(frozen=True, slots=True)
class _OtherRelease:
    key: str
    account_id: str
    at: str
    topic: str
    title: str
    copies: int


# The other releases; their media (if any) is chosen by sample_data/generate.py.
SAMPLE_RELEASES: tuple[_OtherRelease, ...] = (
    _OtherRelease(
        "satelit",
        "kemkominfo_ig",
        "2024-02-05T10:00",
        "digitalisasi",
        "Internet Satelit Jangkau Ribuan Sekolah dan Puskesmas di Daerah 3T",
        8,
    ),
    _OtherRelease(
        "kopi",
        "kominfo_wa",
        "2024-02-19T14:10",
        "umkm",
        "Kopi Lokal Naik Kelas Lewat Pelatihan Pemasaran Digital",
        6,
    ),
    _OtherRelease(
        "rabies",
        "kominfo_wa",
        "2024-03-11T09:20",
        "vaksinasi",
        "Vaksinasi Rabies Gratis untuk Kucing dan Anjing Peliharaan",
        5,
    ),
    _OtherRelease(
        "tps",
        "kemkominfo_ig",
        "2024-02-08T16:00",
        "pemilu",
        "Ayo ke TPS 14 Februari, Suaramu Menentukan Masa Depan",
        10,
    ),
    _OtherRelease(
        "hoaks",
        "kemkominfo_x",
        "2024-02-12T11:30",
        "hoaks",
        "Cek Fakta: Tidak Ada Pembagian Bansos Lewat Tautan Berantai",
        4,
    ),
)


def _copiers(
    rng: random.Random, candidates: list[str], accounts: Mapping[str, Account], count: int
) -> list[str]:
    """`count` accounts to copy a release directly, never a regency with its province:
    a direct copy next to the province's copy would have no recoverable parent."""
    chosen: list[str] = []
    regions: set[str] = set()
    for account_id in rng.sample(candidates, len(candidates)):
        account = accounts[account_id]
        parent = accounts[account.parent_id] if account.parent_id else None
        province = parent.region if parent else account.region
        if province in regions:
            continue
        regions.add(province)
        chosen.append(account_id)
        if len(chosen) == count:
            break
    return chosen


def _at(text: str, hours: int) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONES[hours])


def _sample_id(account: Account, when: datetime, taken: set[str]) -> str:
    """Readable, unique ids: `banten-ig-20240127`, `kab-garut-ig-20240305`."""
    stem = account.account_id.removeprefix("diskominfo_")
    stem = stem.replace("kemkominfo_", "kemkominfo-").replace("kominfo_", "kominfo-")
    stem = stem.replace("_", "-")
    base = f"{stem}-{when:%Y%m%d}"
    post_id, n = base, 1
    while post_id in taken:
        n += 1
        post_id = f"{base}{chr(ord('a') + n - 1)}"
    taken.add(post_id)
    return post_id


def _with_platforms(offices: list[Office], needs: Mapping[str, Sequence[str]]) -> list[Office]:
    """The sample names accounts of its own; give those offices the platforms it needs."""
    parents = {
        (a.region, a.platform): a.account_id
        for o in offices
        if o.tier == "province"
        for a in o.accounts
    }
    out = []
    for office in offices:
        have = {a.platform for a in office.accounts}
        extra = [p for p in needs.get(office.key, ()) if p not in have]
        if extra:
            added = tuple(
                Account(
                    f"diskominfo_{office.key}_{PLATFORMS[p]}",
                    p,
                    office.accounts[0].handle,
                    office.name,
                    office.tier,
                    office.region,
                    parents.get((office.province, p)),
                )
                for p in extra
            )
            office = replace(office, accounts=office.accounts + added)
        out.append(office)
    return out


def make_sample_text(
    seed: int = SAMPLE_SEED,
) -> tuple[list[Account], list[Post], dict[str, SampleTruth]]:
    """The sample corpus without media: accounts, posts and what a correct trace says.

    Cases: the "Presiden Punya Hak Politik" release and 30+ regional reposts (Banten's
    next-morning repost and its regencies' copies of it); other releases with copies; a
    regional original copied by two neighbours; a regional post that predates a central
    release of the same text; unrelated local posts sharing the boilerplate.
    """
    rng = random.Random(seed)
    offices = _with_platforms(
        make_offices(random.Random(f"tracer-sample-offices-{seed}"), 38, 10, invent=False),
        {
            "kab_tangerang": ("facebook",),
            "kota_medan": ("tiktok",),
            "kab_banyuwangi": ("facebook",),
            "kab_mimika": ("facebook",),
        },
    )
    office_of = {a.account_id: o for o in offices for a in o.accounts}
    account_by_id = {a.account_id: a for o in offices for a in o.accounts}
    posts: list[Post] = []
    truth: dict[str, SampleTruth] = {}
    taken: set[str] = set()

    def add(
        account_id: str, when: datetime, text: str, info: SampleTruth, post_id: str | None = None
    ) -> Post:
        account = account_by_id[account_id]
        if post_id is None:
            post_id = _sample_id(account, when, taken)
        else:
            taken.add(post_id)
        post = Post(post_id, account_id, when, text, (), post_url(account, post_id))
        posts.append(post)
        truth[post_id] = info
        return post

    def copy_info(
        release: str | None,
        parent: str,
        core: str,
        text: str,
        family: str,
        verdict: Verdict,
        edits: tuple[str, ...],
        regional: bool,
    ) -> SampleTruth:
        return SampleTruth(release, parent, regional, verdict, text != core, family, edits)

    # 1. The case: the WhatsApp release, Banten's repost, its regencies, 30+ others.
    family = "hak_politik"
    add(
        "kominfo_wa",
        _at("2024-01-26T19:33", 7),
        CASE_TEXT,
        SampleTruth(CASE_RELEASE_ID, None, False, "supported", None, family),
        CASE_RELEASE_ID,
    )
    add(
        "diskominfo_banten_ig",
        _at("2024-01-27T09:15", 7),
        BANTEN_TEXT,
        copy_info(
            CASE_RELEASE_ID,
            CASE_RELEASE_ID,
            CASE_TEXT,
            BANTEN_TEXT,
            family,
            "supported",
            ("greeting", "case", "rewrite", "emoji", "hashtags"),
            False,
        ),
        CASE_BANTEN_ID,
    )
    serang = office_of["diskominfo_kab_serang_ig"]
    serang_text = f"{BANTEN_TEXT} {' '.join(serang.hashtags)}"
    add(
        "diskominfo_kab_serang_ig",
        _at("2024-01-27T13:42", 7),
        serang_text,
        copy_info(
            CASE_RELEASE_ID,
            CASE_BANTEN_ID,
            CASE_TEXT,
            serang_text,
            family,
            "supported",
            ("hashtags",),
            True,
        ),
        CASE_SERANG_ID,
    )
    kota_serang = office_of["diskominfo_kota_serang_ig"]
    kota_text = add_emoji(f"{BANTEN_TEXT}\n\n{kota_serang.local_line}", rng, kota_serang)
    add(
        "diskominfo_kota_serang_ig",
        _at("2024-01-27T16:05", 7),
        kota_text,
        copy_info(
            CASE_RELEASE_ID,
            CASE_BANTEN_ID,
            CASE_TEXT,
            kota_text,
            family,
            "supported",
            ("local_line", "emoji"),
            True,
        ),
        CASE_KOTA_SERANG_ID,
    )
    for account_id, at, zone, edits in _CASE_COPIES:
        office = office_of[account_id]
        text = apply_edits(CASE_TEXT, rng, office, edits)
        add(
            account_id,
            _at(at, 7).astimezone(ZONES[zone]) if zone == 0 else _at(at, zone),
            text,
            copy_info(
                CASE_RELEASE_ID, CASE_RELEASE_ID, CASE_TEXT, text, family, "supported", edits, False
            ),
        )

    # 2. Other releases, each with a few regional copies over the next days.
    regional_ids = [
        a.account_id
        for o in offices
        if o.tier in ("province", "regency")
        for a in o.accounts
        if a.platform in ("instagram", "facebook")
    ]
    for spec in SAMPLE_RELEASES:
        account = account_by_id[spec.account_id]
        topic = TOPIC_BY_NAME[spec.topic]
        released = _at(spec.at, 7)
        wa = account.platform == "whatsapp"
        body = make_release_text(rng, topic, spec.title, whatsapp=wa, around=released.date())
        release_id = f"{_sample_id(account, released, taken)}-{spec.key}"
        release = add(
            spec.account_id,
            released,
            body,
            SampleTruth(release_id, None, False, "supported", None, spec.key),
            release_id,
        )
        for account_id in _copiers(rng, regional_ids, account_by_id, spec.copies):
            office = office_of[account_id]
            edits = pick_edits(rng)
            text = apply_edits(body, rng, office, edits)
            when = (released + timedelta(seconds=_lag(rng))).astimezone(ZONES[office.utc_offset])
            add(
                account_id,
                when,
                text,
                copy_info(
                    release.post_id,
                    release.post_id,
                    body,
                    text,
                    spec.key,
                    "supported",
                    edits,
                    False,
                ),
            )

    # 3. A regional original, copied by a neighbouring regency, whose version the next
    #    neighbour copies in turn; no release. The original is not_found; its copies are
    #    contradicted (DESIGN.md: the only earlier match is non-central).
    garut = office_of["diskominfo_kab_garut_ig"]
    banjir = TOPIC_BY_NAME["banjir"]
    filler = _Filler(rng, banjir, garut.region, date(2024, 3, 5))
    sentences = " ".join(filler.fill(t) for t in rng.sample(SENTENCES, 4))
    original = (
        f"{garut.greeting}\n\n{filler.fill(banjir.titles[0])}\n\n{sentences}"
        f"\n\n{garut.local_line}\n\n{_hashtag_line(rng, garut, banjir)}"
    )
    add(
        "diskominfo_kab_garut_ig",
        _at("2024-03-05T07:45", 7),
        original,
        SampleTruth(None, None, False, "not_found", None, "garut_banjir"),
        REGIONAL_ORIGIN_ID,
    )
    source, source_text = REGIONAL_ORIGIN_ID, original
    for account_id, at, edits in (
        ("diskominfo_kab_tasikmalaya_ig", "2024-03-05T10:20", ("greeting", "hashtags")),
        ("diskominfo_kab_ciamis_ig", "2024-03-05T15:05", ("truncate", "emoji")),
    ):
        text = apply_edits(source_text, rng, office_of[account_id], edits)
        info = copy_info(None, source, original, text, "garut_banjir", "contradicted", edits, True)
        note = "copies a regional original; no central release of it exists"
        copied = add(account_id, _at(at, 7), text, replace(info, note=note))
        source, source_text = copied.post_id, text

    # 4. A regional post hours before the central release of the same text.
    early_body = make_release_text(
        rng,
        TOPIC_BY_NAME["hoaks"],
        "Waspada Penipuan Berkedok Undian Berhadiah dari Pemerintah",
        around=date(2024, 4, 8),
    )
    sumut = office_of["diskominfo_sumut_fb"]
    early = f"{sumut.greeting}\n\n{early_body}\n\n{_hashtag_line(rng, sumut)}"
    note = "the content was posted regionally before any central release of it"
    add(
        "diskominfo_sumut_fb",
        _at("2024-04-08T08:10", 7),
        early,
        SampleTruth(LATE_RELEASE_ID, None, False, "contradicted", None, "undian", (), note),
        PREDATING_ID,
    )
    add(
        "kemkominfo_x",
        _at("2024-04-08T13:45", 7).astimezone(UTC),
        early_body,
        SampleTruth(
            LATE_RELEASE_ID,
            PREDATING_ID,
            True,
            "supported",
            None,
            "undian",
            (),
            "a central post is a release itself, though its content first appeared "
            "regionally (the family's origin is the earlier regional post)",
        ),
        LATE_RELEASE_ID,
    )

    # 5. Unrelated local posts: same greetings, hashtags and templates, other facts.
    local_ids = [
        a.account_id
        for o in offices
        if o.tier in ("province", "regency", "other")
        for a in o.accounts
    ]
    moments = sorted(
        rng.randrange(
            int(_at("2024-01-03T06:00", 7).timestamp()), int(_at("2024-04-28T21:00", 7).timestamp())
        )
        for _ in range(18)
    )
    for i, ts in enumerate(moments):
        account_id = rng.choice(local_ids)
        if i < 4:  # offices that also copied the case, and a news site
            account_id = (
                "diskominfo_banten_ig",
                "diskominfo_kab_serang_ig",
                "diskominfo_jabar_ig",
                "kabarnusantara",
            )[i]
        office = office_of[account_id]
        topic = TOPICS[rng.randrange(len(TOPICS))]
        when = datetime.fromtimestamp(ts, account_zone(account_by_id[account_id], office))
        add(
            account_id,
            when,
            make_local_text(rng, topic, office, when.date()),
            SampleTruth(None, None, False, "not_found", None, None),
        )

    used = {p.account_id for p in posts}
    accounts = [a for o in offices for a in o.accounts if a.account_id in used]
    posts.sort(key=lambda p: (p.published_at, p.post_id))
    return accounts, posts, truth
