"""Professional credentials after a name ("MD, PhD", "RN, MSN, CHCP"), spelled one way.

People type them every way: "md, phd", "M.D./Ph.D.", "MD PhD", "M. D.". Known
credentials get their usual spelling and a comma between them; anything unknown is
kept as typed, so nothing a member wrote is lost. `is_physician` answers the question
a CME certificate depends on: physicians receive AMA PRA Category 1 Credit™, others a
certificate of participation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sro_desktop.services.values import ValueProblem, clean_text, show_value

KNOWN_CREDENTIALS: tuple[str, ...] = (
    # Medical degrees (physicians)
    "MD",
    "DO",
    "MBBS",
    "MBChB",
    "MBBCh",
    "BMBS",
    "MB",
    "MDCM",
    # Other doctorates
    "PhD",
    "PharmD",
    "DNP",
    "DrPH",
    "ScD",
    "EdD",
    "PsyD",
    "DPT",
    "OTD",
    "AuD",
    "DHSc",
    "DDS",
    "DMD",
    "DPM",
    "DC",
    "OD",
    "DVM",
    "JD",
    # Master's and bachelor's degrees
    "MA",
    "MS",
    "MSc",
    "MEd",
    "MSEd",
    "MBA",
    "MPH",
    "MSPH",
    "MHA",
    "MHS",
    "MPA",
    "MPP",
    "MPAS",
    "MMS",
    "MMSc",
    "MSW",
    "MFA",
    "MLS",
    "MLIS",
    "MSN",
    "BA",
    "BS",
    "BSc",
    "BEd",
    "BSN",
    "BPharm",
    # Nursing, pharmacy and other licensed professions
    "RN",
    "LPN",
    "LVN",
    "NP",
    "APRN",
    "CRNP",
    "FNP",
    "FNP-BC",
    "ANP",
    "ANP-BC",
    "AGNP",
    "PMHNP",
    "CNS",
    "CNM",
    "CRNA",
    "CNE",
    "CNL",
    "CCRN",
    "RN-BC",
    "NE-BC",
    "NPD-BC",
    "PA",
    "PA-C",
    "RPh",
    "BCPS",
    "BCOP",
    "RD",
    "RDN",
    "LD",
    "LDN",
    "CDE",
    "CDCES",
    "PT",
    "OT",
    "OTR",
    "OTR/L",
    "ATC",
    "RRT",
    "LCSW",
    "LICSW",
    "LMSW",
    "LPC",
    "CHES",
    "MCHES",
    "CPHQ",
    # Continuing education, meetings and management
    "CHCP",
    "FACEHP",
    "CCMEP",
    "CMP",
    "CMP-HC",
    "CMM",
    "DES",
    "CAE",
    "CPA",
    "CFRE",
    "PMP",
    "SHRM-CP",
    "SHRM-SCP",
    "ELS",
    # Fellowships and board certifications
    "FACP",
    "FACS",
    "FAAFP",
    "FAAP",
    "FACC",
    "FACOG",
    "FACEP",
    "FAHA",
    "FCCP",
    "FIDSA",
    "FASHP",
    "FAAN",
    "FAANP",
    "FAAPA",
    "FRCPC",
    "FRCSC",
    "FRCP",
    "FRCS",
    "MRCP",
    "CCFP",
    "FCFP",
)

PHYSICIAN_CREDENTIALS: frozenset[str] = frozenset(
    {"MD", "DO", "MBBS", "MBChB", "MBBCh", "BMBS", "MB", "MDCM"}
)
"""Medical degrees that make their holder a physician (MD, DO and their equivalents).

AMA PRA Category 1 Credit™ is for physicians only, so dentists (DDS, DMD), podiatrists
(DPM) and other doctors are not counted here.
"""

_MAX_LENGTH = 200


def _key(token: str) -> str:
    """How a credential is compared: capitals, letters and digits only ("Ph.D." -> "PHD")."""
    return "".join(ch for ch in token.upper() if ch.isascii() and ch.isalnum())


_BY_KEY: Mapping[str, str] = {_key(name): name for name in KNOWN_CREDENTIALS}
_SEPARATORS = re.compile(r"[,;&+|]")


def canonical_credential(token: str) -> str | None:
    """The usual spelling of a known credential ("m.d." -> "MD"), or None if unknown."""
    return _BY_KEY.get(_key(token))


def _words(chunk: str) -> list[str]:
    """The words of one comma-separated chunk, with "MD-PhD" split in two."""
    words: list[str] = []
    for word in chunk.split():
        parts = word.split("-")
        if len(parts) > 1 and _key(word) not in _BY_KEY and all(map(canonical_credential, parts)):
            words.extend(parts)
        else:
            words.append(word)
    return words


_Word = tuple[str, int, int]  # a word, its comma-separated chunk, its piece between slashes


def _merged(words: list[_Word]) -> list[_Word]:
    """Words with split-up credentials joined again: "M. D." -> "MD", "OTR/L" -> "OTR/L".

    Words are joined only within one comma-separated chunk, and only when one of them
    is not a credential by itself, so "MB BS" stays two credentials and "MD PhD" is
    never read as one.
    """
    result: list[_Word] = []
    i = 0
    while i < len(words):
        for size in (3, 2):
            group = words[i : i + size]
            texts = [word for word, _, _ in group]
            if (
                len(group) == size
                and len({chunk for _, chunk, _ in group}) == 1
                and not all(map(canonical_credential, texts))
            ):
                joined = _BY_KEY.get(_key("".join(texts)))
                if joined is not None:
                    result.append((joined, *group[0][1:]))
                    i += size
                    break
        else:
            result.append(words[i])
            i += 1
    return result


def _tokens(text: str) -> list[str]:
    """The credentials in `text`, known ones in their usual spelling, unknown ones as typed.

    Unknown words next to each other stay together ("Board Certified"); a repeated
    credential is kept once.
    """
    words = [
        (word, chunk_number, piece_number)
        for chunk_number, chunk in enumerate(_SEPARATORS.split(text))
        for piece_number, piece in enumerate(chunk.split("/"))
        for word in _words(piece)
        if _key(word)
    ]
    merged = [(word, (chunk, piece)) for word, chunk, piece in _merged(words)]
    # In a piece of free text ("I do not have one"), a lower-case word is a word.
    prose = {place for word, place in merged if canonical_credential(word) is None}
    tokens: list[str] = []
    phrase: list[str] = []
    phrase_place = (-1, -1)
    for word, place in merged:
        known = canonical_credential(word)
        if known is not None and place in prose and word.islower():
            known = None
        if phrase and (known is not None or place != phrase_place):
            tokens.append(" ".join(phrase))
            phrase = []
        if known is not None:
            tokens.append(known)
        else:
            phrase.append(word)
            phrase_place = place
    if phrase:
        tokens.append(" ".join(phrase))
    seen: set[str] = set()
    unique: list[str] = []
    for token in tokens:
        if token.casefold() not in seen:
            seen.add(token.casefold())
            unique.append(token)
    return unique


def split_credentials(value: object) -> list[str]:
    """The credentials in a typed value, each in its usual spelling: "md phd" -> ["MD", "PhD"].

    Blank gives []. Refused: a number, a date or yes/no (a value from the wrong column)
    and text longer than 200 characters.
    """
    if value is None or (isinstance(value, float) and value != value):
        return []
    if not isinstance(value, str):
        raise ValueProblem(f"'{show_value(value)}' is not a list of credentials such as MD, PhD")
    text = clean_text(value)
    if text is None:
        return []
    if len(text) > _MAX_LENGTH:
        raise ValueProblem(
            f"The credentials '{text[:40]}…' are too long; keep the letters after the name,"
            " such as MD, PhD"
        )
    return _tokens(text)


def parse_credentials(value: object) -> str | None:
    """Credentials in their usual form, "MD, PhD", or None for blank."""
    return ", ".join(split_credentials(value)) or None


def is_physician(credentials: str | Iterable[str] | None) -> bool:
    """Whether the credentials include a medical degree (MD, DO, MBBS and the like)."""
    if credentials is None:
        return False
    if isinstance(credentials, str):
        text = clean_text(credentials)
        tokens = _tokens(text) if text else []
    else:
        tokens = [known for item in credentials if (known := canonical_credential(item))]
    return any(token in PHYSICIAN_CREDENTIALS for token in tokens)
