"""Verification cards: a verdict a fact-checker can publish, as HTML or Markdown.

Pure: `render` takes a `Card` (built by `tracer.cards.make_card`) and returns
text. Everything shown is escaped by jinja2's autoescaping; pictures are embedded as
`data:` thumbnails so a card is one self-contained file.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

import jinja2

from tracer.headline import reason_id
from tracer.models import StoredPost
from tracer.normalize import local_time, normalize_text
from tracer.verdict import VerdictReport
from tracer.version import __version__

CardFormat = Literal["html", "md"]

PLAIN = {
    "supported": (
        "Didukung: konten ini berasal dari rilis pusat yang terbit sebelum unggahan ini.",
        "Supported: this content derives from a central release published before this post.",
    ),
    "contradicted": (
        "Tidak didukung: konten ini sudah beredar sebelum rilis pusatnya.",
        "Not supported: this content circulated before its central release.",
    ),
    "not_found": (
        "Tidak ditemukan: tidak ada rilis pusat yang memuat konten ini.",
        "Not found: no central release carries this content.",
    ),
    "inconclusive": (
        "Belum dapat disimpulkan: hanya sebagian bukti yang cocok; kandidat terdekat di bawah.",
        "Inconclusive: only partial evidence matched; the nearest candidates are below.",
    ),
}
NO_RELEASE = (
    "Tidak didukung: konten ini pertama diunggah oleh akun non-pusat; tidak ada rilis pusat "
    "yang memuatnya di antara akun pusat yang dikumpulkan.",
    "Not supported: this content was first posted by a non-central account; no central "
    "release of it among the central accounts collected.",
)


@dataclass(frozen=True, slots=True)
class CardMedia:
    path: str
    kind: str
    sha256: str | None
    thumbnail: bytes | None
    fingerprints: dict[str, Any] = field(default_factory=dict)

    @property
    def data_uri(self) -> str | None:
        if not self.thumbnail:
            return None
        return "data:image/jpeg;base64," + base64.b64encode(self.thumbnail).decode()


@dataclass(frozen=True, slots=True)
class Card:
    report: VerdictReport
    post: StoredPost
    source: StoredPost | None
    post_media: tuple[CardMedia, ...]
    source_media: tuple[CardMedia, ...]
    content_digest: str
    """SHA-256 over the family's posts and media hashes the verdict relied on."""
    zone: str = "Asia/Jakarta"
    shown: StoredPost | None = None
    """Outside content: the stored copy it shows, when that is not the release."""
    shown_media: tuple[CardMedia, ...] = ()


def word_diff(source: str, post: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The two texts as (kind, words) segments: kind `same`, `removed` (source side) or
    `added` (post side), for highlighting."""
    a, b = source.split(), post.split()
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    # Words are compared as the normaliser sees them (case, punctuation and emoji aside)
    # and shown as written.
    keys_a = [" ".join(normalize_text(w).tokens) for w in a]
    keys_b = [" ".join(normalize_text(w).tokens) for w in b]
    matcher = SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(("same", " ".join(a[i1:i2])))
            right.append(("same", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            right.append(("added", " ".join(b[j1:j2])))
    return left, right


def political_terms(flags: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """The political terms the verdict's flags found, as normalised token runs."""
    found = [f["detail"] for f in flags if f.get("flag") == "political_terms"]
    return [tuple(normalize_text(t).tokens) for terms in found for t in terms]


def carries_terms(sentence: str, terms: list[tuple[str, ...]]) -> bool:
    """Whether a sentence carries one of `terms` (to highlight it on the card)."""
    tokens = normalize_text(sentence).tokens
    return any(
        tokens[i : i + len(t)] == t for t in terms if t for i in range(len(tokens) - len(t) + 1)
    )


def duration(seconds: int | None) -> str:
    if seconds is None:
        return "–"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} d"] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes or not parts else []
    return sign + " ".join(parts)


def md_escape(text: object) -> str:
    """Text that Markdown shows as written (a caption's `*bold*` or `#tag` stays text)."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", str(text))


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("tracer", "templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["duration"] = duration
    env.filters["local"] = local_time
    env.filters["md"] = md_escape
    return env


_HTML = _environment(autoescape=True)
_MARKDOWN = _environment(autoescape=False)


def render(card: Card, fmt: CardFormat = "html", stylesheet: str | None = None) -> str:
    """The card as HTML (with its styles inline, or linked to `stylesheet`) or Markdown."""
    left, right = word_diff(card.source.text, card.post.text) if card.source else ([], [])
    report = card.report
    answer = report.to_json()
    plain = PLAIN[report.verdict]
    if report.verdict == "contradicted" and report.release is None:
        plain = NO_RELEASE
    terms = political_terms(report.flags)
    values = {
        "card": card,
        "r": report,
        "head": answer["headline"],
        "reason_id": reason_id(report.reason),
        "plain": plain,
        "political": lambda sentence: carries_terms(sentence, terms),
        "left": left,
        "right": right,
        "version": __version__,
        "stylesheet": stylesheet,
        "inline_css": None,
    }
    if fmt == "md":
        return _MARKDOWN.get_template("card.md.j2").render(values)
    if stylesheet is None:
        values["inline_css"] = card_css()
    return _HTML.get_template("card.html.j2").render(values)


def card_css() -> str:
    """The card's stylesheet: inlined in a card file, served beside it over HTTP (where
    the content security policy forbids inline styles)."""
    assert _HTML.loader is not None
    return _HTML.loader.get_source(_HTML, "card.css")[0]
