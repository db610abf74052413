"""Seeded synthetic corpora: offices, releases, edited copies and local chatter.

tracer is judged on what it does with hundreds of offices re-posting one release with
small edits, next to thousands of unrelated posts that share the same greetings,
slogans and hashtags. Real data of that kind cannot be shipped, so this package makes
it: pure (no I/O beyond reading its packaged vocabulary), deterministic for a seed (one
`random.Random` per corpus, never the global state), and fast enough to stream a
million posts.

- `vocabulary` reads the word lists (`synthetic/data/vocabulary.json`) once, on first use.
- `offices.make_offices` builds the account roster: central, province, regency, other.
- `text` fills the vocabulary's templates into releases and local posts.
- The edit functions (`edits.EDITS`) are what regional admins do to a release.
- `scale.iter_scale_corpus` / `make_scale_corpus` give a labelled corpus of any size.
- `sample.make_sample_text` is the text side of `sample_data/`: the January 2024
  "Presiden Punya Hak Politik" case and its neighbours, with the expected verdicts;
  `sample_media_case` adds the posts of its media cases (`MediaPlan` names their media).
"""

from synthetic.edits import (
    EDITS,
    Edit,
    add_emoji,
    add_greeting,
    add_hashtags,
    add_local_line,
    add_typos,
    apply_edits,
    change_case,
    fix_spelling,
    keep_title,
    pick_edits,
    reduplicate,
    truncate_more,
)
from synthetic.offices import (
    PLATFORMS,
    WIB,
    WIT,
    WITA,
    ZONES,
    Office,
    account_zone,
    accounts_of,
    central_office,
    make_offices,
)
from synthetic.rendering import local_iso, post_json_local, post_url
from synthetic.sample import make_sample_text
from synthetic.sample_case import (
    BANTEN_TEXT,
    CASE_BANTEN_ID,
    CASE_KOTA_SERANG_ID,
    CASE_RELEASE_ID,
    CASE_SERANG_ID,
    CASE_TEXT,
    CASE_TITLE,
    LATE_RELEASE_ID,
    PREDATING_ID,
    REGIONAL_ORIGIN_ID,
    SAMPLE_RELEASES,
    SAMPLE_SEED,
)
from synthetic.sample_truth import MediaPlan, SampleTruth
from synthetic.scale import (
    COPY_SHARE,
    MAX_LAG,
    MIN_LAG,
    RELEASE_SHARE,
    START,
    YEAR_SECONDS,
    iter_scale_corpus,
    make_scale_corpus,
    scale_offices,
)
from synthetic.text import make_local_text, make_release_text
from synthetic.vocabulary import Topic, Vocabulary, vocabulary

__all__ = [
    "BANTEN_TEXT",
    "CASE_BANTEN_ID",
    "CASE_KOTA_SERANG_ID",
    "CASE_RELEASE_ID",
    "CASE_SERANG_ID",
    "CASE_TEXT",
    "CASE_TITLE",
    "COPY_SHARE",
    "EDITS",
    "LATE_RELEASE_ID",
    "MAX_LAG",
    "MIN_LAG",
    "PLATFORMS",
    "PREDATING_ID",
    "REGIONAL_ORIGIN_ID",
    "RELEASE_SHARE",
    "SAMPLE_RELEASES",
    "SAMPLE_SEED",
    "START",
    "WIB",
    "WIT",
    "WITA",
    "YEAR_SECONDS",
    "ZONES",
    "Edit",
    "MediaPlan",
    "Office",
    "SampleTruth",
    "Topic",
    "Vocabulary",
    "account_zone",
    "accounts_of",
    "add_emoji",
    "add_greeting",
    "add_hashtags",
    "add_local_line",
    "add_typos",
    "apply_edits",
    "central_office",
    "change_case",
    "fix_spelling",
    "iter_scale_corpus",
    "keep_title",
    "local_iso",
    "make_local_text",
    "make_offices",
    "make_release_text",
    "make_sample_text",
    "make_scale_corpus",
    "pick_edits",
    "post_json_local",
    "post_url",
    "reduplicate",
    "scale_offices",
    "truncate_more",
    "vocabulary",
]
