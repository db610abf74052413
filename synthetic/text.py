"""Release and local-post text: vocabulary templates filled with fresh, seeded facts."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from synthetic.offices import Office
from synthetic.vocabulary import Topic, Vocabulary, vocabulary

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


def _fmt_date(day: date, months: tuple[str, ...]) -> str:
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _fmt_day_date(day: date, days: tuple[str, ...]) -> str:
    return f"{days[day.weekday()]} ({day.day}/{day.month}/{day.year})"


@dataclass(slots=True)
class Filler:
    """Fills template slots for one text: topic phrases, generic phrases, fresh facts."""

    rng: random.Random
    topic: Topic
    home: str | None = None
    around: date | None = None
    """The day the text is posted: its dates fall near it, not months ahead."""
    vocab: Vocabulary = field(default_factory=vocabulary)

    def place(self) -> str:
        if self.home is not None and self.rng.random() < 0.7:
            return self.home
        places = self.vocab.places
        return places[int(self.rng.random() * len(places))]

    def slot(self, name: str) -> str:
        rng, vocab = self.rng, self.vocab
        values = self.topic.slots.get(name) or vocab.generic_slots.get(name)
        if values:
            return values[int(rng.random() * len(values))]
        match name:
            case "place":
                return self.place()
            case "official":
                g = vocab.generic_slots
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
                return _fmt_date(_date(rng, self.around), vocab.months)
            case "day_date":
                return _fmt_day_date(_date(rng, self.around), vocab.days)
            case "month":
                if self.around is not None:
                    return vocab.months[(self.around.month - 1 + rng.randint(-2, 4)) % 12]
                return vocab.months[rng.randrange(12)]
            case "year":
                return "2024" if rng.random() < 0.7 else "2025"
            case "village":
                return "Desa " + rng.choice(vocab.villages)
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
    filler = Filler(rng, topic, None, around)
    title = title or filler.fill(rng.choice(topic.titles))
    words = len(title.split())
    sentences: list[str] = []
    for template in rng.sample(filler.vocab.sentences, 5):
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


def make_local_text(
    rng: random.Random, topic: Topic, office: Office, around: date | None = None
) -> str:
    """An office's own post: same genre and boilerplate as copies, different facts."""
    filler = Filler(rng, topic, office.region, around)
    vocab = filler.vocab
    # A local post is about a local event: its title names the day, so one office's
    # posts on a topic do not repeat a title word for word (its copies of a release do).
    day = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}"
    parts = [f"{filler.fill(rng.choice(topic.titles))}, {rng.choice(vocab.days)} {day}"]
    body = " ".join(filler.fill(t) for t in rng.sample(vocab.sentences, rng.randint(1, 3)))
    if rng.random() < 0.25:
        body += " " + rng.choice(vocab.boilerplate)
    parts.append(body)
    if rng.random() < 0.6:
        parts.insert(0, office.greeting)
    if rng.random() < 0.25:
        parts.append(office.local_line)
    if rng.random() < 0.7:
        parts.append(hashtag_line(rng, office, topic))
    return "\n\n".join(parts)


def hashtag_line(rng: random.Random, office: Office, topic: Topic | None = None) -> str:
    tags = list(office.hashtags[: rng.randint(1, len(office.hashtags))])
    if topic is not None and rng.random() < 0.6:
        tags.append(topic.hashtag)
    tags += rng.sample(vocabulary().generic_hashtags, rng.randint(1, 3))
    return " ".join(dict.fromkeys(tags))
