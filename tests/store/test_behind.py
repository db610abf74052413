"""Writes behind the caller: run in order, one at a time, their errors raised in the caller."""

from __future__ import annotations

import threading
import time

import pytest

from tracer.store.behind import WritesBehind


class Boom(Exception):
    pass


@pytest.mark.parametrize("behind", [True, False])
def test_writes_run_in_the_order_handed_over(behind: bool) -> None:
    done: list[int] = []

    def write(n: int) -> None:
        time.sleep(0.01 if n % 2 else 0)  # a slow write is not overtaken
        done.append(n)

    with WritesBehind(behind) as writes:
        for n in range(6):
            writes.submit(write, n)
    assert done == list(range(6))


def test_behind_a_write_runs_in_another_thread_and_the_caller_goes_on() -> None:
    started, release = threading.Event(), threading.Event()
    threads: list[threading.Thread] = []

    def write() -> None:
        threads.append(threading.current_thread())
        started.set()
        assert release.wait(5)

    with WritesBehind(True) as writes:
        writes.submit(write)  # returns while the write waits
        assert started.wait(5)
        release.set()
    assert threads[0] is not threading.current_thread()


def test_inline_a_write_runs_at_once_in_the_callers_thread() -> None:
    threads: list[threading.Thread] = []
    with WritesBehind(False) as writes:
        writes.submit(lambda: threads.append(threading.current_thread()))
        assert threads == [threading.current_thread()]


def test_a_failed_write_is_raised_by_the_next_submit_and_stops_the_rest() -> None:
    done: list[int] = []

    def fail() -> None:
        raise Boom

    with pytest.raises(Boom), WritesBehind(True) as writes:
        writes.submit(fail)
        writes.submit(done.append, 1)
    assert done == []


def test_a_failed_last_write_is_raised_on_leaving() -> None:
    def fail() -> None:
        raise Boom

    with pytest.raises(Boom), WritesBehind(True) as writes:
        writes.submit(fail)


def test_the_callers_own_error_wins_and_the_running_write_ends_first() -> None:
    done: list[str] = []

    def slow() -> None:
        time.sleep(0.05)
        done.append("written")

    with pytest.raises(KeyError), WritesBehind(True) as writes:
        writes.submit(slow)
        raise KeyError("the caller's")
    assert done == ["written"]
