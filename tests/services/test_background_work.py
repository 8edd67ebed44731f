"""InBackground: work on a second thread, its result (or its error) taken later."""

from __future__ import annotations

import sys
import threading

import pytest

from sro_desktop.services.background_work import InBackground


def test_started_work_runs_on_another_thread_and_its_result_is_kept() -> None:
    threads: list[threading.Thread] = []
    release = threading.Event()

    def work() -> int:
        threads.append(threading.current_thread())
        release.wait(5)
        return 42

    job = InBackground(work)
    job.start()
    release.set()
    assert job.result() == 42
    assert job.result() == 42  # asked twice, run once
    assert threads == [threads[0]] and threads[0] is not threading.current_thread()


def test_work_never_started_runs_when_its_result_is_asked_for() -> None:
    calls: list[threading.Thread] = []
    job = InBackground(lambda: calls.append(threading.current_thread()) or "done")
    assert calls == []
    assert job.result() == "done"
    assert calls == [threading.current_thread()]


def test_an_error_in_the_work_is_raised_by_result() -> None:
    def work() -> int:
        raise ValueError("bad row")

    job = InBackground(work)
    job.start()
    with pytest.raises(ValueError, match="bad row"):
        job.result()


def test_the_lock_changes_hands_often_only_while_the_work_runs() -> None:
    before = sys.getswitchinterval()
    seen: list[float] = []
    job = InBackground(lambda: seen.append(sys.getswitchinterval()))
    job.start()
    job.result()
    assert seen[0] < before
    assert sys.getswitchinterval() == before
