"""The task runner: work runs off the GUI thread; results, errors and progress come back on it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from sro_desktop.errors import UserError
from sro_desktop.gui.task_runner import Cancelled, Progress, TaskRunner


@pytest.fixture
def runner(qtbot: QtBot) -> TaskRunner:
    parent = QWidget()
    qtbot.addWidget(parent)
    return TaskRunner(parent)


def test_work_runs_in_another_thread_and_its_result_arrives_on_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    seen: dict[str, object] = {}

    def work(progress: Progress) -> int:
        seen["work thread"] = threading.current_thread()
        return 42

    def done(result: object) -> None:
        seen["result"] = result
        seen["done thread"] = threading.current_thread()

    runner.run("Adding", work, done, lambda error: None)
    assert runner.busy
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42
    assert seen["work thread"] is not threading.main_thread()
    assert seen["done thread"] is threading.main_thread()
    assert not runner.busy


def test_an_error_is_handed_to_on_error_not_raised(qtbot: QtBot, runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        raise UserError("The file is open in Excel.")

    runner.run("Reading", work, lambda result: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert str(errors[0]) == "The file is open in Excel."


def test_work_queued_behind_other_work_runs_after_it_in_order(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    release = threading.Event()
    order: list[str] = []
    busy: list[bool] = []
    runner.busy_changed.connect(busy.append)

    def first(progress: Progress) -> str:
        release.wait(5)
        order.append("first ran")
        return "first"

    def second(progress: Progress) -> str:
        order.append("second ran")
        return "second"

    results: list[object] = []
    runner.run("One", first, results.append, lambda error: None)
    runner.run("Two", second, results.append, lambda error: None)
    qtbot.wait(100)
    assert order == []  # the second waits for the first, which is blocked
    release.set()
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
    assert order == ["first ran", "second ran"]
    assert results == ["first", "second"]
    assert busy == [True, False]


def test_cancel_stops_work_that_checks_for_it(qtbot: QtBot, runner: TaskRunner) -> None:
    started = threading.Event()
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        started.set()
        for done in range(10_000):
            progress.report(done, 10_000, "Working")
            progress.check()
            threading.Event().wait(0.001)

    progress = runner.run("Long", work, lambda result: None, errors.append)
    assert started.wait(5)
    progress.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], Cancelled)


def test_wait_until_idle_waits_for_queued_work_too(qtbot: QtBot, runner: TaskRunner) -> None:
    ran: list[int] = []
    for number in range(3):
        runner.run("Step", lambda progress, n=number: ran.append(n), lambda r: None, print)
    assert runner.wait_until_idle(5000)
    assert ran == [0, 1, 2]
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
