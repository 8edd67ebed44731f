"""Issuing a meeting's certificates: plan -> pages -> PDF files -> register, all or nothing.

`prepare_issue` turns a plan (services.certificate_issuing) into each person's certificate:
numbers for the new ones, the kept number and code for those already in the register, and
whether an existing certificate is reprinted unchanged or reissued (which needs a reason).
Every problem is known here, before anything is drawn. `write_issue` then draws the PDF
(one file for printing and/or one per person for emailing) into hidden temporary files,
and only once they are complete records the certificates in the caller's transaction; the
caller commits and then calls `Staging.publish()` to give the files their names. If drawing
fails, is cancelled or the process is killed, the register is untouched and no file is
left under a real name.

`reprint` prints certificates again from the register's stored words, for "please resend
my certificate": the same document, not a new one.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from sqlalchemy import exc
from sqlalchemy.orm import Session

from sro_desktop.db.models import CertificateKind as RegisterKind
from sro_desktop.documents.certificates import (
    CertificateArt,
    CertificateContent,
    CertificateKind,
    PrintedPage,
    certificate_text,
    font_problems,
    render_printed,
    rule_problems,
)
from sro_desktop.documents.pdf_files import STAGED_NAME, staged_path
from sro_desktop.errors import DataRefused, UnusableInput
from sro_desktop.services.certificate_issuing import (
    CertificatePlan,
    Organization,
    PlannedCertificate,
    organization,
)
from sro_desktop.services.certificate_register import (
    IssuedRecord,
    RegisterEntry,
    allocate_numbers,
    new_verification_codes,
    record_issued,
)

__all__ = [
    "Action",
    "IssueResult",
    "PreparedCertificate",
    "PreparedIssue",
    "Staging",
    "certificate_art",
    "person_file_name",
    "prepare_issue",
    "preview_issue",
    "printed_text",
    "reprint",
    "write_issue",
]

PRINTED_TEXT_VERSION = 1
Progress = Callable[[int, int], None]


class Action(StrEnum):
    NEW = "new"  # first certificate for this person and meeting: a new number
    REPRINT = "reprint"  # already issued and would read the same: printed again, unchanged
    REISSUE = "reissue"  # already issued but now reads differently: same number, a reason


def certificate_art(org: Organization, page_size: str = "letter") -> CertificateArt:
    return CertificateArt(
        organization_name=org.name,
        logo=org.logo,
        signature=org.signature,
        signatory_name=org.signatory_name,
        signatory_title=org.signatory_title,
        page_size=page_size,
    )


def _art_words(art: CertificateArt) -> dict[str, str]:
    return {
        "organization_name": art.organization_name,
        "signatory_name": art.signatory_name,
        "signatory_title": art.signatory_title,
    }


def printed_text(art: CertificateArt, text: dict[str, str]) -> dict[str, Any]:
    """What the register stores: every word on the page, the artwork's words included."""
    return {"version": PRINTED_TEXT_VERSION, "parts": dict(text), "art": _art_words(art)}


def _same_words(stored: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    if not stored:
        return False
    return bool(stored.get("parts") == new["parts"] and stored.get("art") == new["art"])


_CHANGE_NAMES = {
    "title": "kind of certificate",
    "name": "name",
    "award": "credits or hours",
    "designated": "credit statement",
    "designation": "designation statement",
    "accreditation": "accreditation statement",
    "lead": "meeting details",
    "activity": "meeting title",
    "details": "place or dates",
}


def _changes(stored: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    old_parts = stored.get("parts", {}) if isinstance(stored.get("parts"), dict) else {}
    changed: list[str] = []
    for key, label in _CHANGE_NAMES.items():
        if old_parts.get(key) != new["parts"].get(key) and label not in changed:
            changed.append(label)
    if stored.get("art") != new["art"]:
        changed.append("organization or signatory")
    return tuple(changed)


@dataclass(frozen=True)
class PreparedCertificate:
    """One person's certificate, ready to draw, and what printing it does to the register."""

    planned: PlannedCertificate
    content: CertificateContent
    text: dict[str, str]
    printed: dict[str, Any]
    action: Action
    changes: tuple[str, ...] = ()

    @property
    def number(self) -> str:
        return self.content.number

    @property
    def verification_code(self) -> str:
        return self.content.verification_code


@dataclass
class PreparedIssue:
    plan: CertificatePlan
    art: CertificateArt
    today: date
    reason: str
    certificates: list[PreparedCertificate] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # nothing prints while there are any
    warnings: list[str] = field(default_factory=list)  # printing is allowed; worth a look

    @property
    def can_print(self) -> bool:
        return not self.problems and bool(self.certificates)

    def count(self, action: Action) -> int:
        return sum(1 for prepared in self.certificates if prepared.action is action)


def _content(
    planned: PlannedCertificate,
    plan: CertificatePlan,
    *,
    number: str,
    code: str,
    issued_on: date,
    reissued_on: date | None,
) -> CertificateContent:
    meeting = plan.meeting
    kind = CertificateKind(planned.kind.value)
    attended_credit = kind is not CertificateKind.ATTENDANCE
    return CertificateContent(
        kind=kind,
        recipient_name=planned.name,
        credentials=planned.credentials,
        activity_title=meeting.title,
        learning_format=meeting.learning_format,
        location=meeting.location,
        start_date=meeting.start_date,
        end_date=meeting.end_date,
        hours=planned.hours,
        credits=planned.credits,
        max_credits=meeting.max_credits if attended_credit else None,
        provider=meeting.provider if attended_credit else None,
        joint_provider=meeting.joint_providership,
        organization_name=meeting.organization_name,
        issued_on=issued_on,
        number=number,
        verification_code=code,
        reissued_on=reissued_on,
    )


def prepare_issue(
    session: Session,
    plan: CertificatePlan,
    *,
    today: date,
    page_size: str = "letter",
    reason: str = "",
    force_reissue: bool = False,
) -> PreparedIssue:
    """Each planned certificate's number, code, words and register action; all problems.

    A person already in the register keeps their number and code. If their certificate
    would read the same as when it was issued it is simply printed again; if it would read
    differently (a corrected name, credits or statement) it is a reissue, which needs a
    `reason`. `force_reissue` (the user chose "Reissue" for someone) records a reissue even
    when the words are unchanged.
    """
    reason = " ".join(reason.split())
    art = certificate_art(organization(session), page_size)
    prepared = PreparedIssue(plan, art, today, reason, problems=list(plan.problems))
    fresh = [p for p in plan.certificates if p.existing_id is None]
    numbers = iter(allocate_numbers(session, today.year, len(fresh)))
    codes = iter(new_verification_codes(session, len(fresh)))
    unexplained: list[str] = []
    for planned in plan.certificates:
        changes: tuple[str, ...] = ()
        if planned.existing_id is None:
            content = _content(
                planned,
                plan,
                number=next(numbers),
                code=next(codes),
                issued_on=today,
                reissued_on=None,
            )
            action = Action.NEW
        else:
            assert planned.existing_number and planned.existing_code
            assert planned.existing_issued_on is not None
            number, code = planned.existing_number, planned.existing_code
            issued_on = planned.existing_issued_on
            content = _content(
                planned,
                plan,
                number=number,
                code=code,
                issued_on=issued_on,
                reissued_on=planned.existing_reissued_on,
            )
            words = printed_text(art, certificate_text(content))
            if _same_words(planned.existing_text, words) and not force_reissue:
                action = Action.REPRINT
            else:
                changes = _changes(planned.existing_text or {}, words)
                content = _content(
                    planned, plan, number=number, code=code, issued_on=issued_on, reissued_on=today
                )
                action = Action.REISSUE
                if not reason:
                    detail = ", ".join(changes) if changes else "reissued on request"
                    unexplained.append(f"{planned.name} ({detail})")
        text = certificate_text(content)
        prepared.problems.extend(rule_problems(content))
        prepared.warnings.extend(font_problems(text))
        prepared.certificates.append(
            PreparedCertificate(planned, content, text, printed_text(art, text), action, changes)
        )
    if unexplained:
        count = len(unexplained)
        listed = "; ".join(unexplained[:5]) + ("; …" if count > 5 else "")
        prepared.problems.append(
            f"{count} certificate{'s' if count != 1 else ''} already issued would now read "
            f"differently: {listed}. Give a reason for reissuing "
            f"{'them' if count != 1 else 'it'}; the numbers stay the same."
        )
    if not plan.certificates and not prepared.problems:
        prepared.problems.append("There are no certificates to print.")
    return prepared


# --- files --------------------------------------------------------------------------------

_SPECIAL_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Ø": "O",
        "ø": "o",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Þ": "Th",
        "þ": "th",
        "ı": "i",
    }
)
_NOT_NAME = re.compile(r"[^\w]+")


def _file_part(text: str, limit: int) -> str:
    """Letters and digits of `text` for a file name: Latin accents dropped (email programs
    and old systems mangle them), other alphabets kept, words joined by hyphens."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = [w for w in _NOT_NAME.split(unicodedata.normalize("NFC", plain)) if w]
    joined = "-".join(words).replace("_", "-").strip("-")
    return joined[:limit].rstrip("-")


def person_file_name(last_name: str, first_name: str, meeting_title: str) -> str:
    """`Lastname_Firstname_Meeting.pdf`, safe on every system: `Nguyen_Thi-Minh_Annual-
    Conference-2026.pdf`, `Кузнецова_Ольга_Annual-Conference-2026.pdf`."""
    parts = [
        _file_part(last_name, 40) or "Unnamed",
        _file_part(first_name, 40),
        _file_part(meeting_title, 60) or "Meeting",
    ]
    return "_".join(part for part in parts if part) + ".pdf"


def _unique_names(names: Iterable[str]) -> list[str]:
    """Number repeats (two John Smiths): `Smith_John_X.pdf`, `Smith_John_X_2.pdf`.
    Compared without case, since Windows and macOS folders ignore it."""
    seen: set[str] = set()
    unique: list[str] = []
    for name in names:
        stem, candidate, counter = name[:-4], name, 2
        while candidate.casefold() in seen:
            candidate = f"{stem}_{counter}.pdf"
            counter += 1
        seen.add(candidate.casefold())
        unique.append(candidate)
    return unique


class Staging:
    """Files written under hidden temporary names beside their destination, renamed only
    by `publish()`; leaving the `with` block without publishing removes them."""

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path]] = []
        self.published: list[Path] = []
        self.started = time.time()  # when this run began: older staged files are stale

    def remove_stale(self, destinations: Iterable[Path]) -> list[Path]:
        """Delete the hidden files that an earlier run staged for `destinations` and could
        not remove because it was killed (power cut, Task Manager): those of the same
        names last written before this run began. Returns what was deleted."""
        by_folder: dict[Path, set[str]] = {}
        for destination in destinations:
            by_folder.setdefault(destination.parent, set()).add(destination.name)
        mine = {temporary for temporary, _destination in self._files}
        removed: list[Path] = []
        for folder, names in by_folder.items():
            try:
                entries = list(folder.iterdir())
            except OSError:
                continue  # no folder yet, or not readable: nothing of ours to tidy
            for path in entries:
                match = STAGED_NAME.fullmatch(path.name)
                if match is None or match["name"] not in names or path in mine:
                    continue
                try:
                    if path.stat().st_mtime >= self.started:
                        continue  # being written by another run right now
                    path.unlink()
                except OSError:
                    continue  # gone already, or not ours to delete
                removed.append(path)
        return removed

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.discard()

    def write(self, destination: Path, write: Callable[[BinaryIO], int]) -> int:
        """Write a file through `write(stream)`, synced to disk; returns what it returns."""
        temporary = staged_path(destination)
        try:
            with temporary.open("xb") as stream:
                self._files.append((temporary, destination))
                result = write(stream)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as error:
            raise UnusableInput(
                f"“{destination}” could not be written: {error.strerror or error}. Check the "
                "folder exists and you may write to it, or choose another."
            ) from error
        return result

    def publish(self) -> list[Path]:
        """Give every staged file its real name (replacing an older file of that name)."""
        try:
            for temporary, destination in self._files:
                os.replace(temporary, destination)
                self.published.append(destination)
        except OSError as error:
            raise UnusableInput(
                f"A file could not be saved in its folder: {error.strerror or error}. If it "
                "is open in another program, close it and print again."
            ) from error
        self._files = []
        return self.published

    def discard(self) -> None:
        for temporary, _destination in self._files:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        self._files = []


def _pdf_path(path: Path) -> Path:
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def _prepare_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UnusableInput(
            f"The folder “{folder}” could not be made: {error.strerror or error}; choose another."
        ) from error
    if not folder.is_dir():
        raise UnusableInput(f"“{folder}” is a file, not a folder; choose a folder.")
    return folder


@dataclass(frozen=True)
class IssueResult:
    pages: int
    combined: Path | None
    separate: tuple[Path, ...]
    new: int
    reissued: int
    reprinted: int
    numbers: tuple[str, ...]

    @property
    def files(self) -> tuple[Path, ...]:
        return ((self.combined,) if self.combined else ()) + self.separate


def _draw(
    staging: Staging,
    pages: list[tuple[PrintedPage, Path]],
    combined: Path | None,
    folder: Path | None,
    progress: Progress | None,
    is_cancelled: Callable[[], bool] | None,
) -> tuple[Path | None, tuple[Path, ...]]:
    """Stage the combined PDF and/or one PDF per page; returns their final paths."""
    total = len(pages) * ((combined is not None) + (folder is not None))
    done = 0
    staging.remove_stale(
        ([combined] if combined is not None else [])
        + ([path for _page, path in pages] if folder is not None else [])
    )

    def step(_count: int) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    if combined is not None:
        only_pages = [page for page, _path in pages]
        staging.write(
            combined,
            lambda stream: render_printed(
                only_pages, stream, progress=step, is_cancelled=is_cancelled
            ),
        )
    separate: list[Path] = []
    if folder is not None:
        for page, path in pages:

            def one(stream: BinaryIO, page: PrintedPage = page) -> int:
                return render_printed([page], stream, progress=step, is_cancelled=is_cancelled)

            staging.write(path, one)
            separate.append(path)
    return combined, tuple(separate)


def write_issue(
    session: Session,
    prepared: PreparedIssue,
    staging: Staging,
    *,
    out: Path | None = None,
    separate_dir: Path | None = None,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> IssueResult:
    """Draw the certificates into staged files, then record them in the register.

    Records are flushed into the caller's transaction only after every file is complete;
    the caller commits, then calls `staging.publish()`. Raises `DataRefused` listing the
    problems if there are any (nothing is drawn), `Cancelled` if `is_cancelled()` turns
    true (nothing recorded).
    """
    if out is None and separate_dir is None:
        raise UnusableInput("Choose where to save the certificates: one PDF, a folder, or both.")
    if not prepared.can_print:
        raise DataRefused("The certificates cannot be printed yet: " + " ".join(prepared.problems))
    combined = _pdf_path(out) if out is not None else None
    folder = _prepare_folder(separate_dir) if separate_dir is not None else None
    names = _unique_names(
        person_file_name(c.planned.last_name, c.planned.first_name, prepared.plan.meeting.title)
        for c in prepared.certificates
    )
    pages = [
        ((prepared.art, c.text), (folder or Path()) / name)
        for c, name in zip(prepared.certificates, names, strict=True)
    ]
    combined_path, separate = _draw(staging, pages, combined, folder, progress, is_cancelled)

    meeting_id = prepared.plan.meeting.id
    records = [
        IssuedRecord(
            member_id=c.planned.member_id,
            meeting_id=meeting_id,
            kind=RegisterKind(c.planned.kind.value),
            credits=c.planned.credits,
            hours=c.planned.hours,
            number=c.number,
            verification_code=c.verification_code,
            issued_on=c.content.issued_on,
            printed_text=c.printed,
            certificate_id=c.planned.existing_id,
            reissue_reason=(prepared.reason or "Reissued on request")
            if c.action is Action.REISSUE
            else "",
            reissued_on=prepared.today if c.action is Action.REISSUE else None,
        )
        for c in prepared.certificates
        if c.action is not Action.REPRINT
    ]
    try:
        record_issued(session, records)
    except exc.OperationalError as error:
        raise DataRefused(
            "The database was changed by another window or program while the certificates "
            "were being drawn, so they were not recorded; issue them again."
        ) from error
    return IssueResult(
        pages=len(pages),
        combined=combined_path,
        separate=separate,
        new=prepared.count(Action.NEW),
        reissued=prepared.count(Action.REISSUE),
        reprinted=prepared.count(Action.REPRINT),
        numbers=tuple(c.number for c in prepared.certificates),
    )


PREVIEW_MARK = "PREVIEW \u00b7 NOT ISSUED"


def preview_issue(
    prepared: PreparedIssue,
    out: BinaryIO,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> int:
    """Draw the prepared certificates (or the first `limit`) marked "PREVIEW · NOT
    ISSUED", to check the wording before anything is recorded; the register is untouched."""
    if not prepared.certificates:
        raise DataRefused("There are no certificates to preview.")
    chosen = prepared.certificates[:limit] if limit else prepared.certificates
    total = len(chosen)
    return render_printed(
        [(prepared.art, c.text) for c in chosen],
        out,
        progress=(lambda done: progress(done, total)) if progress else None,
        is_cancelled=is_cancelled,
        watermark=PREVIEW_MARK,
    )


# --- reprinting from the register ---------------------------------------------------------


def _reprint_pages(
    entries: Iterable[RegisterEntry], org: Organization, page_size: str
) -> Iterator[tuple[PrintedPage, RegisterEntry]]:
    """Each entry's stored words on the artwork of its time (names as printed, today's
    logo and signature picture); entries with the same artwork share one form."""
    arts: dict[tuple[str, str, str], CertificateArt] = {}
    current = certificate_art(org, page_size)
    for entry in entries:
        stored = entry.printed_text
        parts = stored.get("parts") if isinstance(stored.get("parts"), dict) else None
        if not parts:
            raise DataRefused(
                f"Certificate {entry.number} was recorded without its printed words, so it "
                "cannot be reprinted as it was; issue it again from its meeting instead."
            )
        stored_art = stored.get("art")
        words: dict[str, Any] = stored_art if isinstance(stored_art, dict) else {}
        key = (
            str(words.get("organization_name", current.organization_name)),
            str(words.get("signatory_name", current.signatory_name)),
            str(words.get("signatory_title", current.signatory_title)),
        )
        art = arts.get(key)
        if art is None:
            art = arts[key] = CertificateArt(
                key[0], org.logo, org.signature, key[1], key[2], page_size
            )
        yield (art, {str(k): str(v) for k, v in parts.items()}), entry


def reprint(
    session: Session,
    entries: list[RegisterEntry],
    *,
    out: Path | BinaryIO | None = None,
    separate_dir: Path | None = None,
    page_size: str = "letter",
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> tuple[Path, ...]:
    """Print register entries again exactly as first printed (the register is unchanged):
    into `out` (a path or a stream) and/or one file per certificate in `separate_dir`."""
    if not entries:
        raise DataRefused("Choose at least one certificate to print again.")
    if out is None and separate_dir is None:
        raise UnusableInput("Choose where to save the certificates: one PDF, a folder, or both.")
    org = organization(session)
    pairs = list(_reprint_pages(entries, org, page_size))
    if out is not None and not isinstance(out, Path):
        buffer = BytesIO()
        render_printed([p for p, _ in pairs], buffer, is_cancelled=is_cancelled)
        out.write(buffer.getvalue())
        out = None
        if separate_dir is None:
            return ()
    folder = _prepare_folder(separate_dir) if separate_dir is not None else None
    names = _unique_names(
        person_file_name(entry.last_name, entry.first_name, entry.meeting_title)
        for _page, entry in pairs
    )
    pages = [
        (page, (folder or Path()) / name) for (page, _e), name in zip(pairs, names, strict=True)
    ]
    with Staging() as staging:
        combined = _pdf_path(out) if isinstance(out, Path) else None
        combined_path, separate = _draw(staging, pages, combined, folder, progress, is_cancelled)
        staging.publish()
    return ((combined_path,) if combined_path else ()) + separate
