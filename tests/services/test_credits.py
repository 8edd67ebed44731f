"""Credit-hour arithmetic: quarter-hour floor, parallel sessions once, the designated cap."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sro_desktop.services.credits import (
    Interval,
    attended_minutes,
    clip_to,
    credits_for_minutes,
    credits_from_sessions,
    hours_for_minutes,
    merge_intervals,
    minutes,
)

DAY = datetime(2026, 3, 4)


def at(clock: str) -> datetime:
    """ "09:30" or "09:30:15" on the meeting day."""
    parts = [int(part) for part in clock.split(":")]
    return DAY.replace(hour=parts[0], minute=parts[1], second=parts[2] if len(parts) > 2 else 0)


def span(start: str, end: str) -> Interval:
    return Interval(at(start), at(end))


# --- Interval ---------------------------------------------------------------------------


def test_an_interval_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        span("10:00", "09:59")


def test_a_zero_length_interval_is_allowed() -> None:
    assert span("10:00", "10:00").length == timedelta()


# --- rounding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attended", "expected"),
    [
        (0, "0.00"),
        (14, "0.00"),
        (15, "0.25"),
        (59, "0.75"),
        (60, "1.00"),
        (74, "1.00"),
        (75, "1.25"),
        (89, "1.25"),
        (90, "1.50"),
        (390, "6.50"),
    ],
)
def test_credits_are_rounded_down_to_the_quarter_hour(attended: int, expected: str) -> None:
    credits = credits_for_minutes(attended, None)
    assert credits == Decimal(expected)
    assert str(credits) == expected


def test_credits_are_capped_at_the_designated_maximum() -> None:
    assert credits_for_minutes(600, Decimal("6.5")) == Decimal("6.50")
    assert str(credits_for_minutes(600, Decimal("6.5"))) == "6.50"
    assert credits_for_minutes(60, Decimal("6.5")) == Decimal("1.00")
    assert credits_for_minutes(60, Decimal(0)) == Decimal("0.00")


@pytest.mark.parametrize(("attended", "cap"), [(-1, None), (60, Decimal("-1"))])
def test_negative_minutes_or_maximum_are_refused(attended: int, cap: Decimal | None) -> None:
    with pytest.raises(ValueError, match="negative"):
        credits_for_minutes(attended, cap)


def test_hours_of_attendance_use_the_same_floor_without_a_cap() -> None:
    assert hours_for_minutes(74) == Decimal("1.00")
    assert hours_for_minutes(75) == Decimal("1.25")
    assert hours_for_minutes(20 * 60) == Decimal("20.00")


# --- union and minutes ------------------------------------------------------------------


def test_touching_intervals_merge_and_zero_length_ones_vanish() -> None:
    merged = merge_intervals(
        [span("10:00", "11:00"), span("09:00", "10:00"), span("12:00", "12:00")]
    )
    assert merged == [span("09:00", "11:00")]


def test_minutes_floor_the_total_seconds_not_each_interval() -> None:
    joins = [span("09:00:00", "09:30:30"), span("10:00:00", "10:29:30")]
    assert minutes(joins) == 60
    assert minutes([span("09:00:00", "09:00:59")]) == 0
    assert minutes([]) == 0


def test_parallel_sessions_count_once() -> None:
    track_a = span("13:00", "14:30")
    track_b = span("13:00", "14:30")
    overlapping_c = span("14:00", "15:00")
    assert credits_from_sessions([track_a, track_b], None) == Decimal("1.50")
    assert credits_from_sessions([track_a, overlapping_c], None) == Decimal("2.00")


def test_sessions_are_capped_at_the_maximum() -> None:
    day = [span("08:00", "12:00"), span("13:00", "17:00")]
    assert credits_from_sessions(day, Decimal("7.25")) == Decimal("7.25")
    assert credits_from_sessions(day, None) == Decimal("8.00")


# --- attendance clipped to eligible time ------------------------------------------------

MORNING = span("09:00", "10:30")
AFTERNOON = span("11:00", "12:00")  # 10:30-11:00 is a coffee break


def test_two_devices_at_once_count_once() -> None:
    laptop = span("09:00", "10:30")
    phone = span("09:15", "10:00")
    assert attended_minutes([laptop, phone], [MORNING]) == 90


def test_a_rejoin_after_a_gap_leaves_the_gap_out() -> None:
    first = span("09:00", "09:40")
    after_dropping = span("09:50", "10:30")
    assert attended_minutes([first, after_dropping], [MORNING]) == 80


def test_breaks_lunch_and_time_outside_the_programme_do_not_count() -> None:
    all_morning = span("08:30", "12:30")
    assert attended_minutes([all_morning], [MORNING, AFTERNOON]) == 150
    assert attended_minutes([span("10:30", "11:00")], [MORNING, AFTERNOON]) == 0


def test_clip_to_is_the_intersection_of_two_unions() -> None:
    attended = [span("08:00", "09:30"), span("09:15", "11:30")]
    assert clip_to(attended, [AFTERNOON, MORNING]) == [MORNING, span("11:00", "11:30")]
    assert clip_to(attended, []) == []
    assert clip_to([], [MORNING]) == []


def test_touching_attendance_and_session_share_no_time() -> None:
    assert clip_to([span("08:00", "09:00")], [MORNING]) == []


# --- properties -------------------------------------------------------------------------

_OFFSETS = st.integers(min_value=0, max_value=12 * 3600)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    start = draw(_OFFSETS)
    length = draw(st.integers(min_value=0, max_value=4 * 3600))
    return Interval(DAY + timedelta(seconds=start), DAY + timedelta(seconds=start + length))


_INTERVAL_LISTS = st.lists(intervals(), max_size=12)
_CAPS = st.none() | st.decimals(
    min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False
)


@given(st.integers(min_value=0, max_value=10_000), _CAPS)
def test_credits_are_never_negative_nor_above_the_maximum(
    attended: int, cap: Decimal | None
) -> None:
    credits = credits_for_minutes(attended, cap)
    assert credits >= 0
    assert credits * 60 <= attended
    if cap is not None:
        assert credits <= cap
    else:
        assert credits % Decimal("0.25") == 0


@given(_INTERVAL_LISTS, _INTERVAL_LISTS, _INTERVAL_LISTS, _CAPS)
def test_more_attendance_never_means_fewer_credits(
    attendance: list[Interval], more: list[Interval], eligible: list[Interval], cap: Decimal | None
) -> None:
    before = credits_for_minutes(attended_minutes(attendance, eligible), cap)
    after = credits_for_minutes(attended_minutes(attendance + more, eligible), cap)
    assert after >= before


@given(_INTERVAL_LISTS, st.randoms(use_true_random=False))
def test_the_union_is_idempotent_and_ignores_order(parts: list[Interval], random: Random) -> None:
    merged = merge_intervals(parts)
    assert merge_intervals(merged) == merged
    shuffled = list(parts)
    random.shuffle(shuffled)
    assert merge_intervals(shuffled) == merged
    for earlier, later in pairwise(merged):
        assert earlier.end < later.start


@given(_INTERVAL_LISTS)
def test_minutes_of_a_union_are_at_most_the_sum_of_minutes(parts: list[Interval]) -> None:
    total = sum((part.length for part in parts), timedelta())
    assert minutes(parts) <= total // timedelta(minutes=1)


@given(_INTERVAL_LISTS, _INTERVAL_LISTS)
def test_clipped_time_fits_inside_both_sides(
    attended: list[Interval], eligible: list[Interval]
) -> None:
    clipped = attended_minutes(attended, eligible)
    assert clipped <= minutes(attended)
    assert clipped <= minutes(eligible)
    assert attended_minutes(attended, eligible) == attended_minutes(eligible, attended)
