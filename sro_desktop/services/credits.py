"""Credit-hour arithmetic: from attended time to AMA PRA credits or hours of attendance.

Pure functions on time intervals, so the same rules serve a check-in desk, a Zoom report
and a hand-entered correction. Credits are `Decimal` (exact quarters), never floats.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

__all__ = [
    "Interval",
    "attended_minutes",
    "clip_to",
    "credits_for_minutes",
    "credits_from_sessions",
    "hours_for_minutes",
    "merge_intervals",
    "minutes",
]

_MINUTE = timedelta(minutes=1)
_QUARTER_HOUR_MINUTES = 15
_CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Interval:
    """A stretch of time from `start` to `end` (a session, or one Zoom join)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"An interval cannot end ({self.end}) before it starts ({self.start})."
            )

    @property
    def length(self) -> timedelta:
        return self.end - self.start


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of `intervals`: sorted, non-overlapping, non-touching, none empty.

    Overlapping or touching intervals (one ends the second the next starts) become one;
    zero-length intervals add no time and are dropped.
    """
    merged: list[Interval] = []
    for interval in sorted(intervals, key=lambda i: (i.start, i.end)):
        if interval.start == interval.end:
            continue
        if merged and interval.start <= merged[-1].end:
            last = merged[-1]
            if interval.end > last.end:
                merged[-1] = Interval(last.start, interval.end)
        else:
            merged.append(interval)
    return merged


def clip_to(attended: Iterable[Interval], eligible: Iterable[Interval]) -> list[Interval]:
    """The part of the union of `attended` that lies inside the union of `eligible`."""
    left = merge_intervals(attended)
    right = merge_intervals(eligible)
    clipped: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i].start, right[j].start)
        end = min(left[i].end, right[j].end)
        if start < end:
            clipped.append(Interval(start, end))
        # Advance whichever interval finishes first; the other may still overlap the next.
        if left[i].end <= right[j].end:
            i += 1
        else:
            j += 1
    return clipped


def minutes(intervals: Iterable[Interval]) -> int:
    """Whole minutes covered by the union of `intervals`.

    Seconds are added up over the whole union first and only the total is floored, so
    joins of 30½ and 29½ minutes make 60 minutes, not 59.
    """
    total = sum((i.length for i in merge_intervals(intervals)), timedelta())
    return total // _MINUTE


def credits_for_minutes(minutes: int, max_credits: Decimal | None) -> Decimal:
    """AMA PRA credits for `minutes` of credit-eligible time, capped at `max_credits`.

    Returns a Decimal with two places (e.g. ``Decimal("1.25")``).
    """
    if minutes < 0:
        raise ValueError(f"Minutes cannot be negative: {minutes}.")
    if max_credits is not None and max_credits < 0:
        raise ValueError(f"A credit maximum cannot be negative: {max_credits}.")
    # AMA PRA: 60 minutes of participation in a live activity = 1 credit, awarded in
    # 0.25-credit (15-minute) increments. The AMA lets providers round to the nearest
    # quarter hour; we always round down, so no one is certified for time not spent
    # (59 minutes -> 0.75). Parallel sessions are counted once before we get here.
    credits = Decimal(minutes // _QUARTER_HOUR_MINUTES) / 4
    if max_credits is not None:
        credits = min(credits, max_credits)
    return credits.quantize(_CENTS)


def hours_for_minutes(minutes: int) -> Decimal:
    """Hours of attendance, floored to the quarter hour, for a certificate of attendance.

    Non-physicians get hours rather than credits; the same quarter-hour floor applies but
    there is no designated maximum.
    """
    return credits_for_minutes(minutes, None)


def attended_minutes(attendance: Iterable[Interval], eligible_sessions: Iterable[Interval]) -> int:
    """Minutes a person was present during credit-eligible sessions.

    `attendance` may hold several rows for one person (rejoins, two devices at once); they
    are united first, then clipped to the union of the eligible sessions so that breaks,
    lunch and time before or after the programme count for nothing.
    """
    return minutes(clip_to(attendance, eligible_sessions))


def credits_from_sessions(
    attended_session_intervals: Iterable[Interval], max_credits: Decimal | None
) -> Decimal:
    """Credits for a person checked into whole sessions: their times united, then rounded.

    Two sessions running in parallel count once, as the AMA requires.
    """
    return credits_for_minutes(minutes(attended_session_intervals), max_credits)
