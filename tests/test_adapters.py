"""The registry of formats: names, detection (one answer or a clear refusal), reading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tracer.adapters import FORMATS, adapter, available, detect, read
from tracer.errors import InputError

from .adapters_support import FIXTURES
from .conftest import scenario_corpus


def test_every_format_is_listed() -> None:
    assert list(FORMATS) == [
        "canonical",
        "instaloader",
        "zeeschuimer",
        "crowdtangle",
        "ytdlp",
        "telegram",
        "whatsapp",
        "meta-archive",
        "x-archive",
    ]
    assert {"canonical", "instaloader", "zeeschuimer", "crowdtangle", "ytdlp"} <= set(available())
    for name in available():
        assert name == adapter(name).NAME


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("instaloader", "instaloader"),
        ("instaloader/kemenkominfo/2024-01-26_12-33-00_UTC.json.xz", "instaloader"),
        ("zeeschuimer/export.ndjson", "zeeschuimer"),
        ("crowdtangle/facebook.csv", "crowdtangle"),
        ("crowdtangle/instagram.csv", "crowdtangle"),
        ("ytdlp", "ytdlp"),
        ("ytdlp/Presiden Punya Hak Politik [dQw4w9WgXc1].info.json", "ytdlp"),
    ],
)
def test_detects_each_fixture(path: str, expected: str) -> None:
    assert detect(FIXTURES / path) == expected


def test_detects_a_canonical_corpus(tmp_path: Path) -> None:
    assert detect(scenario_corpus(tmp_path / "corpus")) == "canonical"


def test_ambiguous_folder_names_the_candidates(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "ytdlp", tmp_path / "mixed", dirs_exist_ok=True)
    shutil.copytree(FIXTURES / "instaloader", tmp_path / "mixed", dirs_exist_ok=True)
    with pytest.raises(InputError, match=r"several formats \(instaloader, ytdlp\)"):
        detect(tmp_path / "mixed")


def test_unknown_layout_and_unknown_format_are_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputError, match="cannot tell its format; pass --format"):
        detect(tmp_path / "notes.txt")
    with pytest.raises(InputError, match="unknown format 'myspace'"):
        adapter("myspace")
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "absent", "ytdlp")
