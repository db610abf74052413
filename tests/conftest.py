"""Shared fixtures: a small hand-written scenario corpus, a corpus writer and helpers.

The scenario follows one real-world shape: a Kominfo release of 26 January 2024
("Presiden Punya Hak Politik, Acuannya UU Pemilu") re-posted by the Banten province
with a greeting and hashtags, by Banten's regencies (one carrying the province's
greeting, one not), by West Java with its own greeting, and by a news site.
Beside it: a second release written from the same templates, a regional original
copied by a neighbour, and a post that predates the release it claims to be.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from hypothesis import settings

from tracer import service
from tracer.corpus import ACCOUNT_FIELDS
from tracer.models import Account
from tracer.store import Store

from .pg_support import PgServer
from .processes import serving

# Examples are cheap, but a loaded CI machine must not turn them into deadline flakes.
settings.register_profile("tracer", deadline=None)
settings.load_profile("tracer")


# --- texts -----------------------------------------------------------------------

TITLE = "Presiden Punya Hak Politik, Acuannya UU Pemilu"
RELEASE_TEXT = (
    f"{TITLE}\n\n"
    "Presiden Joko Widodo menegaskan bahwa presiden memiliki hak politik untuk berkampanye "
    "dan memihak dalam pemilihan umum, selama mengikuti aturan yang tercantum dalam "
    "Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum. Menurut Presiden, aturan itu "
    "membolehkan presiden dan wakil presiden ikut berkampanye dengan syarat tidak memakai "
    "fasilitas negara dan menjalani cuti di luar tanggungan negara. Pernyataan tersebut "
    "disampaikan Presiden di Istana Kepresidenan Bogor pada Jumat, 26 Januari 2024, sambil "
    "menunjukkan kertas berisi bunyi pasal 299 dan pasal 281 undang-undang tersebut."
)
# Same ministry, same week, same templates ("X menegaskan bahwa …", "Acuannya UU …",
# "Pernyataan tersebut disampaikan … sambil menunjukkan …"): a different release.
OTHER_RELEASE_TEXT = (
    "Menteri Minta ASN Jaga Netralitas, Acuannya UU ASN\n\n"
    "Menteri Pendayagunaan Aparatur Negara menegaskan bahwa aparatur sipil negara wajib "
    "menjaga netralitas dalam pemilihan umum, sesuai aturan yang tercantum dalam "
    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara. Menurut Menteri, aturan "
    "itu melarang pegawai ikut berkampanye, memasang atribut partai, atau mengunggah dukungan "
    "kepada peserta pemilu di media sosial. Pernyataan tersebut disampaikan Menteri di "
    "Kantor Kementerian PANRB Jakarta pada Kamis, 25 Januari 2024, sambil menunjukkan surat "
    "edaran bersama tentang pengawasan netralitas pegawai."
)
BANTEN_GREETING = "Halo Sahabat Banten! 👋 Simak informasi penting berikut ini ya.\n\n"
JABAR_GREETING = "Sampurasun Wargi Jabar! 🙏 Ieu informasi ti pamaréntah pusat.\n\n"
ADDED_SENTENCE = "Pemerintah Provinsi Banten mengajak masyarakat menjaga pemilu yang damai."
REGIONAL_TEXT = (
    "Bupati Serang meresmikan jembatan gantung Cibeber di Kecamatan Cinangka yang "
    "menghubungkan dua desa terpencil. Jembatan sepanjang 60 meter itu dibangun dengan dana "
    "desa dan gotong royong warga selama empat bulan, sehingga anak sekolah tidak lagi "
    "harus menyeberangi sungai saat musim hujan."
)
LEAK_TEXT = (
    "Pemerintah Tetapkan Cuti Bersama Idulfitri 2024 Selama Enam Hari\n\n"
    "Pemerintah menetapkan cuti bersama Idulfitri 1445 Hijriah selama enam hari bagi "
    "aparatur sipil negara, mulai 8 April hingga 15 April 2024. Keputusan bersama tiga "
    "menteri itu juga meminta instansi mengatur jadwal pelayanan publik agar tetap berjalan "
    "selama masa libur panjang."
)


# --- corpus building -------------------------------------------------------------


def account(
    account_id: str,
    tier: str,
    region: str = "",
    parent_id: str | None = None,
    platform: str = "instagram",
) -> Account:
    return Account(account_id, platform, account_id, account_id.title(), tier, region, parent_id)  # type: ignore[arg-type]


ACCOUNTS: tuple[Account, ...] = (
    account("kominfo", "central", "Indonesia"),
    account("kominfo-wa", "central", "Indonesia", platform="whatsapp"),
    account("banten", "province", "Banten"),
    account("serang", "regency", "Kabupaten Serang", "banten"),
    account("lebak", "regency", "Kabupaten Lebak", "banten"),
    account("pandeglang", "regency", "Kabupaten Pandeglang", "banten"),
    account("jabar", "province", "Jawa Barat"),
    account("bandung", "regency", "Kabupaten Bandung", "jabar"),
    account("detik", "other", ""),
)


def post_line(
    post_id: str,
    account_id: str,
    published_at: str,
    text: str,
    media: Iterable[str] = (),
    url: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "post_id": post_id,
        "account_id": account_id,
        "published_at": published_at,
        "text": text,
        "media": list(media),
        "url": url,
        **extra,
    }


@dataclass
class CorpusBuilder:
    """Write a canonical corpus folder line by line, including deliberately bad lines."""

    root: Path
    accounts: list[Account] = field(default_factory=lambda: list(ACCOUNTS))
    lines: list[bytes] = field(default_factory=list)

    def add(self, *lines: dict[str, Any]) -> CorpusBuilder:
        self.lines.extend(orjson.dumps(line) for line in lines)
        return self

    def raw(self, line: str) -> CorpusBuilder:
        self.lines.append(line.encode())
        return self

    def media(self, relative: str, content: bytes = b"\xff\xd8\xff\xe0fakejpeg") -> str:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return relative

    def write(self) -> Path:
        write_accounts(self.root, self.accounts)
        (self.root / "posts.jsonl").write_bytes(b"".join(line + b"\n" for line in self.lines))
        return self.root


def write_accounts(folder: Path, accounts: Iterable[Account]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [",".join(ACCOUNT_FIELDS)]
    for a in accounts:
        rows.append(
            ",".join(
                [a.account_id, a.platform, a.handle, a.name, a.tier, a.region, a.parent_id or ""]
            )
        )
    (folder / "accounts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


RELEASE_URL = "https://www.instagram.com/p/C2kominfoPemilu/"
BANTEN_URL = "https://www.instagram.com/p/C2bantenPemilu/?utm_source=ig_web_copy_link&igsh=ab12"

SCENARIO: tuple[dict[str, Any], ...] = (
    # The release and its cascade.
    post_line(
        "kominfo-20240126", "kominfo", "2024-01-26T19:33:00+07:00", RELEASE_TEXT, url=RELEASE_URL
    ),
    post_line(
        "banten-ig-20240127",
        "banten",
        "2024-01-27T08:15:00+07:00",
        BANTEN_GREETING
        + RELEASE_TEXT
        + "\n\n"
        + ADDED_SENTENCE
        + "\n#BantenJawara #PemiluDamai2024",
        url=BANTEN_URL,
    ),
    post_line(
        "serang-20240127",
        "serang",
        "2024-01-27T03:02:00Z",
        BANTEN_GREETING + RELEASE_TEXT + "\n#BantenJawara #SerangBaik",
    ),
    post_line(
        "lebak-20240127", "lebak", "2024-01-27T12:40:00+07:00", RELEASE_TEXT + "\n#LebakMaju"
    ),
    post_line(
        "jabar-20240127",
        "jabar",
        "2024-01-27T10:30:00+08:00",
        JABAR_GREETING + RELEASE_TEXT + "\n#JabarJuara",
    ),
    post_line(
        "bandung-20240127",
        "bandung",
        "2024-01-27T14:00:00+07:00",
        JABAR_GREETING + RELEASE_TEXT[:300] + "… more",
    ),
    post_line(
        "detik-20240127",
        "detik",
        "2024-01-27T01:00:00Z",
        RELEASE_TEXT.replace("menegaskan", "menegasakan").replace("tanggungan", "tangungan"),
    ),
    post_line("pandeglang-20240128", "pandeglang", "2024-01-28T09:00:00+07:00", TITLE),
    # Another release from the same templates, with one copy.
    post_line("kominfo-20240125", "kominfo", "2024-01-25T16:00:00+07:00", OTHER_RELEASE_TEXT),
    post_line(
        "jabar-20240125", "jabar", "2024-01-25T19:00:00+07:00", JABAR_GREETING + OTHER_RELEASE_TEXT
    ),
    # A regional original, copied by a neighbour: no release anywhere.
    post_line("serang-jembatan", "serang", "2024-02-02T09:00:00+07:00", REGIONAL_TEXT),
    post_line(
        "lebak-jembatan",
        "lebak",
        "2024-02-02T11:30:00+07:00",
        "Kabar baik dari tetangga! " + REGIONAL_TEXT,
    ),
    # A news site publishes the text two hours before the ministry does.
    post_line("detik-cuti", "detik", "2024-03-01T01:00:00Z", LEAK_TEXT),
    post_line("kominfo-wa-cuti", "kominfo-wa", "2024-03-01T10:00:00+07:00", LEAK_TEXT),
    post_line("banten-cuti", "banten", "2024-03-01T12:00:00+07:00", BANTEN_GREETING + LEAK_TEXT),
    # A post nothing else carries.
    post_line(
        "pandeglang-kerjabakti",
        "pandeglang",
        "2024-02-10T07:00:00+07:00",
        "Kerja bakti membersihkan saluran air di Alun-alun Pandeglang bersama warga, "
        "pelajar dan relawan sejak pukul tujuh pagi.",
    ),
)
RELEASE_FAMILY = {
    "kominfo-20240126",
    "banten-ig-20240127",
    "serang-20240127",
    "lebak-20240127",
    "jabar-20240127",
    "bandung-20240127",
    "detik-20240127",
    "pandeglang-20240128",
}


def scenario_corpus(folder: Path) -> Path:
    return CorpusBuilder(folder).add(*SCENARIO).write()


@pytest.fixture
def corpus_builder(tmp_path: Path) -> CorpusBuilder:
    return CorpusBuilder(tmp_path / "corpus")


# --- databases ---------------------------------------------------------------------
#
# Tests marked `databases` (a module's `pytestmark`, or one test) run once on SQLite and
# once on PostgreSQL: every fixture below that opens a database follows the `backend`
# parameter. Unmarked tests run on SQLite. Without a PostgreSQL server the PostgreSQL
# half is skipped.

BACKENDS = ("sqlite", "postgresql")
Db = Path | str
"""A database as `--db` takes it: an SQLite file, or a PostgreSQL URL."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("databases") and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The database kind of this test: `sqlite`, or `postgresql` for tests marked
    `databases` (their second run)."""
    return str(getattr(request, "param", "sqlite"))


class Databases:
    """Databases of a test session: new empty ones, and shared ones built once per
    backend (whatever order pytest runs the parametrised tests in)."""

    def __init__(self, tmp: pytest.TempPathFactory) -> None:
        self.tmp = tmp
        self.pg = PgServer()
        self._pg_state: str | None = None
        self._shared: dict[tuple[str, str], Db] = {}

    def new(self, backend: str, name: str = "tracer") -> Db:
        if backend == "sqlite":
            return self.tmp.mktemp(name) / f"{name}.db"
        if self._pg_state is None:
            reason = self.pg.answers()
            if reason is None:
                self.pg.create()
                self._pg_state = "created"
            else:
                self._pg_state = reason
        if self._pg_state != "created":
            pytest.skip(self._pg_state)
        return self.pg.fresh(name.replace("-", "_"))

    def shared(self, backend: str, name: str, build: Callable[[Db], None]) -> Db:
        key = (backend, name)
        if key not in self._shared:
            db = self.new(backend, name)
            build(db)
            self._shared[key] = db
        return self._shared[key]

    def close(self) -> None:
        if self._pg_state == "created":
            self.pg.drop()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    made = Databases(tmp_path_factory)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def new_db(databases: Databases, backend: str) -> Db:
    """An empty database of this test's backend (not opened)."""
    return databases.new(backend)


@pytest.fixture
def store(new_db: Db) -> Iterator[Store]:
    opened = Store.open(new_db)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scenario_corpus(tmp_path_factory.mktemp("scenario") / "corpus")


def _ingest_scenario(folder: Path) -> Callable[[Db], None]:
    def build(db: Db) -> None:
        opened = Store.open(db)
        try:
            report = service.ingest(opened, folder)
        finally:
            opened.close()
        assert report.ingested == len(SCENARIO), report.to_json()
        assert not report.errors and not report.conflicts

    return build


@pytest.fixture(scope="session")
def scenario_db(scenario_dir: Path, databases: Databases, backend: str) -> Db:
    """A database holding the ingested scenario; tests must only read it."""
    return databases.shared(backend, "scenario", _ingest_scenario(scenario_dir))


@pytest.fixture
def scenario_store(scenario_db: Db) -> Iterator[Store]:
    opened = Store.open(scenario_db)
    yield opened
    opened.close()


def partition(store: Store) -> set[frozenset[str]]:
    """Stored posts grouped by family."""
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT post_id, family_id FROM posts").all()
    groups: dict[int, set[str]] = {}
    for post_id, family in rows:
        groups.setdefault(family, set()).add(post_id)
    return {frozenset(g) for g in groups.values()}


def family_of(store: Store, post_id: str) -> set[str]:
    return next(set(f) for f in partition(store) if post_id in f)


VERIFY_KEYS = frozenset(
    {
        "post_id",
        "verdict",
        "release",
        "lag_seconds",
        "altered",
        "changes",
        "evidence",
        "corroboration",
    }
)
"""The keys DESIGN.md promises in every verify answer (CLI and HTTP)."""


SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "sample_data" / "corpus"


def _ingest_sample(db: Db) -> None:
    store = Store.open(db)
    try:
        report = service.ingest(store, SAMPLE_CORPUS)
        assert report.errors == [] and report.conflicts == [], report.to_json()
    finally:
        store.close()


@pytest.fixture(scope="session")
def sample_db_file(databases: Databases, backend: str) -> Db:
    """The sample corpus ingested once per run and backend (with OCR, ~30 s). Tests that
    serve it or write to it work on a copy (`copy_db`, SQLite)."""
    return databases.shared(backend, "sample", _ingest_sample)


def copy_db(source: Db, folder: Path) -> Db:
    """A private copy of a closed SQLite database (its WAL is checkpointed on close); a
    PostgreSQL database as it is (what the tests write there is derived: summaries)."""
    if isinstance(source, str):
        return source
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copy(source, target)
    return target


@pytest.fixture(scope="session")
def sample_store(sample_db_file: Db) -> Iterator[Store]:
    """The ingested sample corpus; tests must only read it."""
    store = Store.open(sample_db_file)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def sample_client(
    sample_db_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """A real `tracer serve` on a copy of the ingested sample, one per test module."""
    folder = tmp_path_factory.mktemp("sample-serve")
    db = copy_db(sample_db_file, folder)
    with (
        serving(db, folder / "serve.log", {"TRACER_RATE_LIMIT": "0"}) as base,
        httpx.Client(base_url=base, timeout=30) as http,
    ):
        yield http


@pytest.fixture(scope="module")
def scenario_client(
    scenario_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """A real `tracer serve` on a copy of the scenario database, one per test module."""
    folder = tmp_path_factory.mktemp("scenario-serve")
    db = folder / "copy.db"
    shutil.copy(scenario_db, db)
    with (
        serving(db, folder / "serve.log", {"TRACER_RATE_LIMIT": "0"}) as base,
        httpx.Client(base_url=base, timeout=20) as http,
    ):
        yield http
