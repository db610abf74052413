"""`tracer.lru.SizedLru`: bounded by bytes, least recently used out first, entries that
grow are charged, a bound of 0 keeps nothing."""

from __future__ import annotations

import pytest

from tracer.lru import SizedLru


def test_the_least_recently_used_go_first_when_the_bytes_pass_the_bound() -> None:
    lru: SizedLru[str, int] = SizedLru(100)
    lru.put("a", 1, 40)
    lru.put("b", 2, 40)
    assert lru.get("a") == 1  # a is now the most recent
    lru.put("c", 3, 40)  # 120 > 100: b goes
    assert lru.peek("b") is None and lru.peek("a") == 1 and lru.peek("c") == 3
    stats = lru.stats()
    assert (stats.entries, stats.bytes, stats.evictions) == (2, 80, 1)
    assert (stats.hits, stats.misses) == (1, 0)  # peek counts nothing


def test_growing_an_entry_charges_it_and_makes_it_recent() -> None:
    lru: SizedLru[str, int] = SizedLru(100)
    lru.put("a", 1, 30)
    lru.put("b", 2, 30)
    lru.grow("a", 30)  # a: 60, the most recent
    lru.grow("gone", 500)  # not kept: nothing to charge
    assert lru.stats().bytes == 90
    lru.put("c", 3, 20)  # 110: b (the least recent) goes, not a
    assert lru.get("b") is None and lru.get("a") == 1
    assert lru.stats().bytes == 80 and lru.stats().misses == 1


def test_an_entry_larger_than_the_bound_and_a_bound_of_zero_keep_nothing() -> None:
    lru: SizedLru[str, int] = SizedLru(50)
    lru.put("a", 1, 10)
    lru.put("a", 2, 60)  # replaced by one too large: neither is kept
    assert lru.get("a") is None and lru.stats().bytes == 0
    nothing: SizedLru[str, int] = SizedLru(0)
    nothing.put("a", 1, 1)
    assert nothing.get("a") is None and nothing.stats().entries == 0
    with pytest.raises(ValueError):
        SizedLru(-1)
