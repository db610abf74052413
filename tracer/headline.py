"""A verdict in one line, in Indonesian and English, carrying what matters (issue 14):
whether the copy changed the message, and — for a family with no central release —
exactly that, never words that read as "officially denied".

Pure: takes the verdict's fields, returns `{"id": …, "en": …}`.
"""

from __future__ import annotations

from typing import Any

REASONS = {
    "the post is the central release itself": "unggahan ini adalah rilis pusat itu sendiri",
    "derives from a central release published before the post": (
        "berasal dari rilis pusat yang terbit sebelum unggahan ini"
    ),
    "the post predates the earliest central release of its content": (
        "unggahan ini lebih dulu daripada rilis pusat paling awal atas kontennya"
    ),
    "the content was first posted by a non-central account": (
        "konten ini pertama diunggah oleh akun non-pusat"
    ),
    "no central release carries this content": "tidak ada rilis pusat yang memuat konten ini",
}
"""The verdict rules (`tracer.verdict.decide`) in Indonesian."""

REGIONAL = {"province": ("akun daerah", "a regional account"), "regency": None}
REGIONAL["regency"] = REGIONAL["province"]


def reason_id(reason: str) -> str:
    """The rule line in Indonesian (the English one when it has no translation)."""
    if reason.startswith("partial evidence"):
        return "bukti sebagian: " + reason.removeprefix("partial evidence").lstrip(": ")
    return REASONS.get(reason, reason)


def _collected(n: int | None) -> tuple[str, str]:
    if n is None:
        return "akun pusat yang dikumpulkan", "central accounts collected"
    return f"{n} akun pusat yang dikumpulkan", f"{n} central accounts collected"


def headline(
    verdict: str,
    *,
    is_release: bool = False,
    altered: bool = False,
    changes: dict[str, Any] | None = None,
    has_release: bool = False,
    first_tier: str | None = None,
    central_accounts: int | None = None,
) -> dict[str, str]:
    """The headline of a verdict (see the module docstring)."""
    summary = (changes or {}).get("summary") or {}
    coll_id, coll_en = _collected(central_accounts)
    if verdict == "supported":
        if is_release:
            return {
                "id": "Didukung — ini rilis pusat itu sendiri",
                "en": "Supported — this is the central release itself",
            }
        if altered:
            return {
                "id": f"Didukung — salinan diubah: {summary.get('id', 'pesan berubah')}",
                "en": f"Supported — altered copy: {summary.get('en', 'the message changed')}",
            }
        if summary.get("en") == "no changes" or not changes:
            return {"id": "Didukung — salinan utuh", "en": "Supported — unchanged copy"}
        return {
            "id": "Didukung — salinan dengan perubahan kosmetik saja",
            "en": "Supported — copy with cosmetic changes only",
        }
    if verdict == "contradicted" and has_release:
        return {
            "id": "Tidak didukung — diunggah sebelum rilis pusatnya",
            "en": "Not supported — posted before its central release",
        }
    if verdict == "contradicted":
        who = REGIONAL.get(first_tier or "") or ("akun non-pusat", "a non-central account")
        who_id, who_en = who
        return {
            "id": f"Tidak didukung — pertama diunggah oleh {who_id}; "
            f"tidak ada rilis pusat di antara {coll_id}",
            "en": f"Not supported — first posted by {who_en}; "
            f"no central release among the {coll_en}",
        }
    if verdict == "inconclusive":
        return {
            "id": "Belum dapat disimpulkan — bukti sebagian; lihat kandidat terdekat",
            "en": "Inconclusive — partial evidence; see the nearest candidates",
        }
    return {
        "id": f"Tidak ditemukan — tidak ada rilis pusat di antara {coll_id} yang memuat konten ini",
        "en": f"Not found — none of the {coll_en} carries this content",
    }


def _lag(seconds: int | None) -> str:
    if seconds is None:
        return "–"
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours} j {rest // 60:02d} mnt / {sign}{hours} h {rest // 60:02d} min"


def verdict_lines(report: dict[str, Any]) -> list[str]:
    """A verdict's JSON (`VerdictReport.to_json`) as lines to read: the headline, then
    bullets in Indonesian / English, times in the post's own zone and in WIB."""
    head = report.get("headline") or headline(
        report["verdict"],
        altered=report.get("altered", False),
        changes=report.get("changes"),
        has_release=bool(report.get("release")),
    )
    lines = [head["id"], head["en"], f"  ({reason_id(report['reason'])} / {report['reason']})"]
    times = report.get("times") or {}
    release = report.get("release")
    if release:
        when = (times.get("release") or {}).get("local", release["published_at"])
        lines.append(f"• Rilis / Release: {release['post_id']} ({release['account_id']}), {when}")
        if release.get("url"):
            lines.append(f"  {release['url']}")
    post_time = (times.get("post") or {}).get("local")
    if post_time:
        lines.append(f"• Unggahan / Post: {report['post_id']}, {post_time}")
    if report.get("lag_seconds") is not None:
        lines.append(f"• Selang / Lag: {_lag(report['lag_seconds'])}")
    shown = report.get("shown")
    if shown and shown.get("post_id"):
        paths = ", ".join(shown["paths"])
        what = "rilis pusat / the release" if shown["is_release"] else shown["account_id"]
        lines.append(f"• Yang ditampilkan / Shows: {shown['post_id']} ({what})")
        lines.append(f"  cocok lewat / matched by: {paths}")
    if report["verdict"] == "inconclusive" and shown:
        for c in shown["candidates"]:
            lines.append(f"  – {c['post_id']} ({', '.join(c['paths'])}): {c['score']}")
    changes = report.get("changes") or {}
    if changes:
        summary = changes.get("summary") or {}
        lines.append(
            f"• Diubah / Altered: {'ya' if report['altered'] else 'tidak'} / "
            f"{'yes' if report['altered'] else 'no'} — "
            f"{summary.get('id', '')} / {summary.get('en', '')}"
        )
        for s in changes.get("sentences_removed", []):
            lines.append(f"  − {s}")
        for s in changes.get("sentences_added", []):
            lines.append(f"  + {s}")
        if changes.get("cosmetic"):
            lines.append(f"  kosmetik / cosmetic: {', '.join(changes['cosmetic'])}")
        for m in changes.get("media") or []:
            found = ", ".join(c["change"] for c in m["changes"]) or (
                "sama / same" if m["match"] else "tidak cocok / no match"
            )
            lines.append(f"  media {m['media']}: {found}")
    corroboration = report.get("corroboration") or {}
    if corroboration.get("accounts"):
        lines.append(
            f"• Penguat / Corroboration: {corroboration['accounts']} akun lain / other accounts, "
            f"{len(corroboration.get('regions', []))} wilayah / regions"
        )
    for flag in report.get("flags") or []:
        detail = flag["detail"] if isinstance(flag["detail"], str) else ", ".join(flag["detail"])
        lines.append(f"• Konteks / Context: {flag['flag']}: {detail}")
    return lines
