"""Ingest through the facade: bad lines, conflicts, time zones, re-ingest, late releases,
batches and boilerplate."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tracer import service, tracing, verification
from tracer.errors import CorpusError
from tracer.normalize import resolve_zone
from tracer.store import Store

from .conftest import (
    BANTEN_GREETING,
    OTHER_RELEASE_TEXT,
    RELEASE_FAMILY,
    RELEASE_TEXT,
    SCENARIO,
    TITLE,
    CorpusBuilder,
    family_of,
    partition,
    post_line,
)

pytestmark = pytest.mark.databases  # on SQLite and on PostgreSQL


def test_bad_lines_are_reported_and_good_lines_ingested(
    corpus_builder: CorpusBuilder, store: Store
) -> None:
    b = corpus_builder
    image = b.media("media/poster.jpg")
    good = [
        post_line(
            "kominfo-20240126", "kominfo", "2024-01-26T19:33:00+07:00", RELEASE_TEXT, [image]
        ),
        post_line(
            "banten-1", "banten", "2024-01-27T08:15:00+07:00", BANTEN_GREETING + RELEASE_TEXT
        ),
        post_line("serang-1", "serang", "2024-01-27T10:15:00+07:00", RELEASE_TEXT, extra_field=1),
    ]
    b.add(good[0])
    b.raw('{"post_id": "broken", ')  # line 2
    b.add(post_line("x1", "ghost", "2024-01-27T08:00:00+07:00", "teks"))  # line 3
    b.add(good[1])  # line 4
    b.add(post_line("x2", "banten", "2024-01-27T08:00:00", "teks"))  # line 5
    b.add({**post_line("x3", "banten", "2024-01-27T08:00:00Z", "teks"), "media": "poster.jpg"})  # 6
    b.add(post_line("x4", "banten", "2024-01-27T08:00:00Z", "teks", ["../x.jpg"]))  # line 7
    b.add(post_line("x5", "banten", "2024-01-27T08:00:00Z", "teks", ["media/none.jpg"]))  # line 8
    b.add(good[2])  # line 9
    b.add({**good[1], "text": "Teks lain"})  # line 10: same id, different content
    b.add(good[0])  # line 11: same id, same content
    folder = b.write()
    report = service.ingest(store, folder)
    where = [(Path(e.file).name, e.line, e.field) for e in report.errors]
    assert where == [
        ("posts.jsonl", 2, "(line)"),
        ("posts.jsonl", 3, "account_id"),
        ("posts.jsonl", 5, "published_at"),
        ("posts.jsonl", 6, "media"),
        ("posts.jsonl", 7, "media"),
        ("posts.jsonl", 8, "media"),
    ]
    assert all(Path(e.file) == folder / "posts.jsonl" for e in report.errors)
    assert [(c.line, c.field) for c in report.conflicts] == [(10, "post_id")]
    assert "different content" in report.conflicts[0].reason
    assert report.ingested == 3
    assert report.unchanged == 1
    assert report.errors_by_kind() == {
        "posts.jsonl: (line)": 1,
        "posts.jsonl: account_id": 1,
        "posts.jsonl: published_at": 1,
        "posts.jsonl: media": 3,
    }
    assert store.counts()["posts"] == 3
    # The stored one is the first delivery, not the conflicting one.
    assert tracing.find_post(store, "banten-1").text == BANTEN_GREETING + RELEASE_TEXT
    assert tracing.find_post(store, "kominfo-20240126").media == ("media/poster.jpg",)
    assert family_of(store, "serang-1") == {"kominfo-20240126", "banten-1", "serang-1"}


def test_a_conflict_with_an_earlier_ingest_is_reported(
    corpus_builder: CorpusBuilder, store: Store, tmp_path: Path
) -> None:
    line = post_line("p1", "banten", "2024-01-27T08:15:00+07:00", RELEASE_TEXT)
    service.ingest(store, corpus_builder.add(line).write())
    second = (
        CorpusBuilder(tmp_path / "second")
        .add({**line, "published_at": "2024-01-27T09:15:00+07:00"})
        .write()
    )
    report = service.ingest(store, second)
    assert report.ingested == 0 and report.unchanged == 0
    assert [(c.line, c.field) for c in report.conflicts] == [(1, "post_id")]
    assert tracing.find_post(store, "p1").published_at.hour == 1


def test_a_changed_account_is_a_conflict_with_its_line(
    corpus_builder: CorpusBuilder, store: Store, tmp_path: Path
) -> None:
    service.ingest(
        store, corpus_builder.add(post_line("p1", "banten", "2024-01-27T08:15:00Z", "teks")).write()
    )
    second = CorpusBuilder(tmp_path / "second")
    second.accounts = [
        a if a.account_id != "serang" else dataclasses.replace(a, platform="facebook")
        for a in second.accounts
    ]
    report = service.ingest(store, second.write())
    assert len(report.conflicts) == 1
    conflict = report.conflicts[0]
    assert Path(conflict.file).name == "accounts.csv"
    assert "serang" in conflict.reason
    # serang is the fourth account: line 5 of accounts.csv (after the header).
    assert conflict.line == 5
    assert store.accounts()["serang"].platform == "instagram"


def test_assume_tz(corpus_builder: CorpusBuilder, store: Store) -> None:
    folder = corpus_builder.add(
        post_line("naive", "banten", "2024-01-27T08:15:00", "teks tanpa zona waktu sama sekali"),
        post_line("aware", "banten", "2024-01-27T08:15:00+09:00", "teks dengan zona waktu timur"),
    ).write()
    report = service.ingest(store, folder, assume_tz=resolve_zone("Asia/Jakarta"))
    assert report.errors == []
    assert report.ingested == 2
    assert tracing.find_post(store, "naive").to_json()["published_at"] == "2024-01-27T01:15:00Z"
    assert tracing.find_post(store, "aware").to_json()["published_at"] == "2024-01-26T23:15:00Z"


def test_without_assume_tz_naive_lines_are_errors(
    corpus_builder: CorpusBuilder, store: Store
) -> None:
    folder = corpus_builder.add(post_line("naive", "banten", "2024-01-27T08:15:00", "teks")).write()
    report = service.ingest(store, folder)
    assert [(e.line, e.field) for e in report.errors] == [(1, "published_at")]
    assert report.ingested == 0


def test_missing_corpus_folder(store: Store, tmp_path: Path) -> None:
    with pytest.raises(CorpusError):
        service.ingest(store, tmp_path / "nowhere")


def test_media_only_post_after_a_short_caption(corpus_builder: CorpusBuilder, store: Store) -> None:
    # Posts without text (a poster, a video) are common; in one batch after a short caption
    # they must not crash the batch fingerprinting.
    image = corpus_builder.media("media/poster.jpg")
    folder = corpus_builder.add(
        post_line("short", "banten", "2024-01-27T08:00:00+07:00", "Selamat pagi Sahabat Banten!"),
        post_line("poster", "serang", "2024-01-27T09:00:00+07:00", "", [image]),
    ).write()
    report = service.ingest(store, folder)
    assert report.ingested == 2
    assert verification.verify_post(store, "poster").verdict == "not_found"


# --- ingest: idempotence and incremental linking --------------------------------------------


def test_reingesting_changes_nothing(scenario_dir: Path, store: Store) -> None:
    first = service.ingest(store, scenario_dir)
    assert first.ingested == len(SCENARIO)
    counts = store.counts()
    families = partition(store)
    traced = tracing.trace(store, "serang-20240127")
    second = service.ingest(store, scenario_dir)
    assert second.ingested == 0
    assert second.unchanged == len(SCENARIO)
    assert second.conflicts == [] and second.errors == []
    assert second.accounts_added == 0
    assert store.counts() == counts
    assert partition(store) == families
    assert tracing.trace(store, "serang-20240127") == traced


def test_a_second_corpus_links_into_the_existing_family(
    scenario_dir: Path, store: Store, tmp_path: Path
) -> None:
    service.ingest(store, scenario_dir)
    family_id = tracing.trace(store, "kominfo-20240126")["family_id"]
    second = (
        CorpusBuilder(tmp_path / "second")
        .add(
            post_line(
                "lebak-late",
                "lebak",
                "2024-01-29T08:00:00+07:00",
                "Info! " + RELEASE_TEXT + " #LebakMaju",
            ),
            post_line("bandung-late", "bandung", "2024-01-29T09:00:00+07:00", TITLE + " 🙏"),
        )
        .write()
    )
    report = service.ingest(store, second)
    assert report.ingested == 2
    for post_id in ("lebak-late", "bandung-late"):
        traced = tracing.trace(store, post_id)
        assert traced["family_id"] == family_id
        assert traced["release"]["post_id"] == "kominfo-20240126"
        assert verification.verify_post(store, post_id).verdict == "supported"
    assert family_of(store, "lebak-late") == RELEASE_FAMILY | {"lebak-late", "bandung-late"}
    # The new copies get their cascade parents: lebak's province, bandung's province.
    assert tracing.trace(store, "lebak-late")["parent"] == "banten-ig-20240127"
    assert tracing.trace(store, "bandung-late")["parent"] == "jabar-20240127"


def test_a_release_ingested_after_its_copies_relinks_them(
    corpus_builder: CorpusBuilder, store: Store, tmp_path: Path
) -> None:
    # The title-only copy and the body-only copies share no words: two families, until
    # the release that carries both arrives.
    body = RELEASE_TEXT.split("\n\n", 1)[1]
    copies = corpus_builder.add(
        post_line("banten-1", "banten", "2024-01-27T08:15:00+07:00", BANTEN_GREETING + body),
        post_line("pandeglang-1", "pandeglang", "2024-01-27T09:00:00+07:00", TITLE),
        post_line("lebak-1", "lebak", "2024-01-27T10:00:00+07:00", body),
    ).write()
    service.ingest(store, copies)
    assert partition(store) == {
        frozenset({"banten-1", "lebak-1"}),
        frozenset({"pandeglang-1"}),
    }
    names = ("banten-1", "pandeglang-1", "lebak-1")
    before = {p: verification.verify_post(store, p).verdict for p in names}
    assert before == {
        "banten-1": "not_found",
        "pandeglang-1": "not_found",
        "lebak-1": "contradicted",
    }
    release = (
        CorpusBuilder(tmp_path / "release")
        .add(post_line("kominfo-wa-1", "kominfo-wa", "2024-01-26T19:33:00+07:00", RELEASE_TEXT))
        .write()
    )
    report = service.ingest(store, release)
    assert report.ingested == 1
    assert family_of(store, "kominfo-wa-1") == {
        "kominfo-wa-1",
        "banten-1",
        "pandeglang-1",
        "lebak-1",
    }
    for post_id in ("banten-1", "pandeglang-1", "lebak-1"):
        report = verification.verify_post(store, post_id)
        assert report.verdict == "supported", post_id
        assert report.release is not None and report.release.post_id == "kominfo-wa-1"
    traced = tracing.trace(store, "lebak-1")
    assert traced["release"]["post_id"] == "kominfo-wa-1"
    assert traced["origin"]["post_id"] == "kominfo-wa-1"
    assert traced["path"] == ["kominfo-wa-1", "banten-1", "lebak-1"]
    assert tracing.trace(store, "banten-1")["parent"] == "kominfo-wa-1"
    # The absorbed families are gone: one family row, its cascade up to date.
    assert store.counts()["families"] == 1
    assert store.count_dirty() == 0


def test_many_batches_give_the_same_families_as_one(scenario_dir: Path, tmp_path: Path) -> None:
    one = Store.open(tmp_path / "one.db")
    many = Store.open(tmp_path / "many.db")
    service.ingest(one, scenario_dir)
    service.ingest(many, scenario_dir, batch_size=2)
    assert partition(many) == partition(one)
    for line in SCENARIO:
        assert (
            tracing.trace(many, line["post_id"])["parent"]
            == tracing.trace(one, line["post_id"])["parent"]
        )
    one.close()
    many.close()


def test_progress_is_reported_per_line(scenario_dir: Path, store: Store) -> None:
    seen: list[int] = []
    service.ingest(store, scenario_dir, batch_size=4, progress=seen.append)
    assert sum(seen) == len(SCENARIO)
    assert max(seen) == 4


# --- text that must not link ------------------------------------------------------------

SIGNATURE = (
    "\n\nUntuk informasi lebih lanjut, kunjungi laman resmi Kementerian Komunikasi dan "
    "Informatika dan ikuti media sosial kami. Mari bersama wujudkan Pemilu 2024 yang damai, "
    "jujur, dan adil. #PemiluDamai #KominfoRI #IndonesiaMaju"
)
SHORT_RELEASES = (
    "Presiden Punya Hak Politik, Acuannya UU Pemilu. Presiden Joko Widodo menegaskan bahwa "
    "presiden memiliki hak politik untuk berkampanye selama mengikuti aturan undang-undang.",
    "Menteri Minta ASN Jaga Netralitas, Acuannya UU ASN. Menteri PANRB menegaskan bahwa "
    "aparatur sipil negara wajib menjaga netralitas selama masa kampanye pemilu berlangsung.",
    "Kominfo Ajak Warganet Lawan Hoaks Pemilu. Kementerian mengajak masyarakat memeriksa "
    "kebenaran informasi sebelum membagikannya agar tidak terjebak disinformasi menjelang "
    "pemungutan suara.",
)


def test_the_ministry_signature_does_not_merge_releases(
    corpus_builder: CorpusBuilder, store: Store
) -> None:
    # Every release ends with the same signature; copies carry it along.
    for i, (text, day) in enumerate(zip(SHORT_RELEASES, ("26", "27", "28"), strict=True)):
        corpus_builder.add(
            post_line(f"rel{i}", "kominfo", f"2024-01-{day}T10:00:00+07:00", text + SIGNATURE),
            post_line(f"serang{i}", "serang", f"2024-01-{day}T12:00:00+07:00", text + SIGNATURE),
            post_line(
                f"lebak{i}",
                "lebak",
                f"2024-01-{day}T13:00:00+07:00",
                "Info penting! " + text + SIGNATURE,
            ),
        )
    service.ingest(store, corpus_builder.write())
    assert partition(store) == {frozenset({f"rel{i}", f"serang{i}", f"lebak{i}"}) for i in range(3)}
    release = verification.verify_post(store, "serang1").release
    assert release is not None and release.post_id == "rel1"


def test_a_greeting_only_post_never_links(corpus_builder: CorpusBuilder, store: Store) -> None:
    # Banten greets in front of everything it reposts; a regency posts the greeting alone.
    folder = corpus_builder.add(
        post_line("relA", "kominfo", "2024-01-26T10:00:00+07:00", RELEASE_TEXT),
        post_line("relB", "kominfo", "2024-01-25T10:00:00+07:00", OTHER_RELEASE_TEXT),
        post_line("bantenA", "banten", "2024-01-26T12:00:00+07:00", BANTEN_GREETING + RELEASE_TEXT),
        post_line(
            "bantenB", "banten", "2024-01-25T12:00:00+07:00", BANTEN_GREETING + OTHER_RELEASE_TEXT
        ),
        post_line("serang-greeting", "serang", "2024-01-27T12:00:00+07:00", BANTEN_GREETING),
        post_line("banten-greeting", "banten", "2024-01-27T13:00:00+07:00", BANTEN_GREETING),
    ).write()
    service.ingest(store, folder)
    assert partition(store) == {
        frozenset({"relA", "bantenA"}),
        frozenset({"relB", "bantenB"}),
        frozenset({"serang-greeting"}),
        frozenset({"banten-greeting"}),
    }
    assert verification.verify_post(store, "serang-greeting").verdict == "not_found"


def test_a_greeting_used_across_many_families_is_boilerplate(
    corpus_builder: CorpusBuilder, store: Store
) -> None:
    # Past `common_families` families, the greeting's anchors are discounted for everyone.
    lines = []
    for i in range(22):
        text = f"Rilis nomor {i}: " + " ".join(f"kata{i}k{j}" for j in range(25))
        lines.append(post_line(f"rel{i}", "kominfo", f"2024-02-01T{i:02d}:00:00+07:00", text))
        lines.append(
            post_line(
                f"banten{i}", "banten", f"2024-02-01T{i:02d}:30:00+07:00", BANTEN_GREETING + text
            )
        )
    lines.append(
        post_line("serang-greeting", "serang", "2024-02-02T09:00:00+07:00", BANTEN_GREETING)
    )
    service.ingest(store, corpus_builder.add(*lines).write())
    assert len(partition(store)) == 23
    assert family_of(store, "serang-greeting") == {"serang-greeting"}
