"""The US states, DC, US territories and Canadian provinces and territories.

Members live in both countries, so a "state" is any of these, stored as its two-letter
postal code. `find_region` reads the ways people write one: the code, the full name
(English or French, with or without accents), the old newspaper abbreviations
("Penn.", "Calif.", "N.J.", "Que.") and retired codes (PQ, NF). Case, periods, spaces
and hyphens do not matter.

Left out on purpose: the freely associated states (FM, MH, PW) and the US Minor Outlying
Islands (UM), where no member will live. The military "states" (AA, AE, AP) are in, as
a member on active duty may have an APO/FPO address.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Country = Literal["US", "CA"]
RegionKind = Literal["state", "district", "territory", "military", "province"]


@dataclass(frozen=True, slots=True)
class Region:
    """One state, district, territory or province, as the post office names it."""

    code: str
    name: str
    country: Country
    kind: RegionKind


def _us(code: str, name: str, kind: RegionKind = "state") -> Region:
    return Region(code, name, "US", kind)


def _ca(code: str, name: str, kind: RegionKind = "province") -> Region:
    return Region(code, name, "CA", kind)


REGIONS: tuple[Region, ...] = (
    _us("AL", "Alabama"),
    _us("AK", "Alaska"),
    _us("AZ", "Arizona"),
    _us("AR", "Arkansas"),
    _us("CA", "California"),
    _us("CO", "Colorado"),
    _us("CT", "Connecticut"),
    _us("DE", "Delaware"),
    _us("DC", "District of Columbia", "district"),
    _us("FL", "Florida"),
    _us("GA", "Georgia"),
    _us("HI", "Hawaii"),
    _us("ID", "Idaho"),
    _us("IL", "Illinois"),
    _us("IN", "Indiana"),
    _us("IA", "Iowa"),
    _us("KS", "Kansas"),
    _us("KY", "Kentucky"),
    _us("LA", "Louisiana"),
    _us("ME", "Maine"),
    _us("MD", "Maryland"),
    _us("MA", "Massachusetts"),
    _us("MI", "Michigan"),
    _us("MN", "Minnesota"),
    _us("MS", "Mississippi"),
    _us("MO", "Missouri"),
    _us("MT", "Montana"),
    _us("NE", "Nebraska"),
    _us("NV", "Nevada"),
    _us("NH", "New Hampshire"),
    _us("NJ", "New Jersey"),
    _us("NM", "New Mexico"),
    _us("NY", "New York"),
    _us("NC", "North Carolina"),
    _us("ND", "North Dakota"),
    _us("OH", "Ohio"),
    _us("OK", "Oklahoma"),
    _us("OR", "Oregon"),
    _us("PA", "Pennsylvania"),
    _us("RI", "Rhode Island"),
    _us("SC", "South Carolina"),
    _us("SD", "South Dakota"),
    _us("TN", "Tennessee"),
    _us("TX", "Texas"),
    _us("UT", "Utah"),
    _us("VT", "Vermont"),
    _us("VA", "Virginia"),
    _us("WA", "Washington"),
    _us("WV", "West Virginia"),
    _us("WI", "Wisconsin"),
    _us("WY", "Wyoming"),
    _us("AS", "American Samoa", "territory"),
    _us("GU", "Guam", "territory"),
    _us("MP", "Northern Mariana Islands", "territory"),
    _us("PR", "Puerto Rico", "territory"),
    _us("VI", "U.S. Virgin Islands", "territory"),
    _us("AA", "Armed Forces Americas", "military"),
    _us("AE", "Armed Forces Europe", "military"),
    _us("AP", "Armed Forces Pacific", "military"),
    _ca("AB", "Alberta"),
    _ca("BC", "British Columbia"),
    _ca("MB", "Manitoba"),
    _ca("NB", "New Brunswick"),
    _ca("NL", "Newfoundland and Labrador"),
    _ca("NS", "Nova Scotia"),
    _ca("ON", "Ontario"),
    _ca("PE", "Prince Edward Island"),
    _ca("QC", "Quebec"),
    _ca("SK", "Saskatchewan"),
    _ca("NT", "Northwest Territories", "territory"),
    _ca("NU", "Nunavut", "territory"),
    _ca("YT", "Yukon", "territory"),
)

REGION_BY_CODE: Mapping[str, Region] = {region.code: region for region in REGIONS}

# Other ways people write a region, beyond its code and name: French names, GPO/AP
# newspaper abbreviations, retired Canada Post codes (PQ for Quebec, NF for Newfoundland).
_OTHER_NAMES: Mapping[str, tuple[str, ...]] = {
    "AL": ("Ala.",),
    "AK": ("Alas.",),
    "AZ": ("Ariz.",),
    "AR": ("Ark.",),
    "CA": ("Calif.", "Cal."),
    "CO": ("Colo.",),
    "CT": ("Conn.",),
    "DE": ("Del.",),
    "DC": ("D.C.", "Washington D.C.", "Washington DC", "Wash. D.C.", "Dist. of Columbia"),
    "FL": ("Fla.",),
    "GA": ("Ga.",),
    "IL": ("Ill.",),
    "IN": ("Ind.",),
    "KS": ("Kan.", "Kans."),
    "KY": ("Ky.",),
    "LA": ("La.",),
    "MD": ("Md.",),
    "MA": ("Mass.",),
    "MI": ("Mich.",),
    "MN": ("Minn.",),
    "MS": ("Miss.",),
    "MO": ("Mo.",),
    "MT": ("Mont.",),
    "NE": ("Neb.", "Nebr."),
    "NV": ("Nev.",),
    "NH": ("N.H.",),
    "NJ": ("N.J.",),
    "NM": ("N.M.", "N. Mex."),
    "NY": ("N.Y.",),
    "NC": ("N.C.", "N. Carolina", "No. Carolina"),
    "ND": ("N.D.", "N. Dak.", "N. Dakota"),
    "OK": ("Okla.",),
    "OR": ("Ore.", "Oreg."),
    "PA": ("Pa.", "Penn.", "Penna."),
    "RI": ("R.I.",),
    "SC": ("S.C.", "S. Carolina", "So. Carolina"),
    "SD": ("S.D.", "S. Dak.", "S. Dakota"),
    "TN": ("Tenn.",),
    "TX": ("Tex.",),
    "VT": ("Vt.",),
    "VA": ("Va.",),
    "WA": ("Wash.",),
    "WV": ("W.Va.", "W. Virginia"),
    "WI": ("Wis.", "Wisc."),
    "WY": ("Wyo.",),
    "MP": ("Northern Marianas", "CNMI"),
    "PR": ("P.R.",),
    "VI": ("Virgin Islands", "US Virgin Islands", "USVI"),
    "AB": ("Alta.",),
    "BC": ("B.C.", "Colombie-Britannique"),
    "MB": ("Man.",),
    "NB": ("N.B.", "Nouveau-Brunswick"),
    "NL": ("Newfoundland", "Nfld.", "NF", "Terre-Neuve-et-Labrador", "Terre-Neuve"),
    "NS": ("N.S.", "Nouvelle-Écosse"),
    "ON": ("Ont.",),
    "PE": ("P.E.I.", "PEI", "Île-du-Prince-Édouard"),
    "QC": ("Québec", "Que.", "PQ", "P.Q."),
    "SK": ("Sask.",),
    "NT": ("N.W.T.", "NWT", "Territoires du Nord-Ouest", "North West Territories"),
    "NU": ("Nvt.",),
    "YT": ("Y.T.", "Yuk.", "Yukon Territory"),
}

# Words in front of a name that do not change it: "State of New York".
_PREFIX = re.compile(r"^(?:stateof|provinceof|commonwealthof|territoryof)(?=.)")


def region_key(text: str) -> str:
    """Fold text to compare region names: no accents, no case, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    key = "".join(ch for ch in folded if ch.isascii() and ch.isalnum())
    return _PREFIX.sub("", key)


def _build_index() -> dict[str, Region]:
    index: dict[str, Region] = {}
    for region in REGIONS:
        spellings = (region.code, region.name, *_OTHER_NAMES.get(region.code, ()))
        for spelling in spellings:
            key = region_key(spelling)
            if index.get(key, region) is not region:  # pragma: no cover - table error
                raise AssertionError(f"{spelling!r} names two regions")
            index[key] = region
    return index


_INDEX: Mapping[str, Region] = _build_index()

# The names offered as "did you mean", folded for comparison, longest spelling first.
_SUGGESTIONS: Mapping[str, Region] = {
    " ".join(region_key(word) for word in spelling.split()): region
    for region in REGIONS
    for spelling in (region.name, *_OTHER_NAMES.get(region.code, ()))
    if len(region_key(spelling)) > 4
}

# Countries written where a state belongs, or after it ("Ontario, Canada").
COUNTRY_NAMES: frozenset[str] = frozenset(
    region_key(name)
    for name in (
        "USA",
        "U.S.A.",
        "US",
        "U.S.",
        "United States",
        "United States of America",
        "America",
        "Canada",
    )
)


def find_region(text: str) -> Region | None:
    """The region `text` names (code, name or abbreviation), or None when it names none.

    "Ontario, Canada", "PA - Pennsylvania" and "Pennsylvania (PA)" are read too: the
    parts must name the same region, and a country name beside it is ignored.
    """
    whole = _INDEX.get(region_key(text))
    if whole is not None:
        return whole
    parts = [region_key(part) for part in re.split(r"[,;/()|]|\s[-–]\s", text)]
    keys = {key for key in parts if key and key not in COUNTRY_NAMES}
    found = {_INDEX.get(key) for key in keys}
    if len(found) == 1:
        return found.pop()
    return None


def suggest_region(text: str) -> Region | None:
    """The region whose name is closest to a misspelled `text`, if one is close enough."""
    folded = " ".join(region_key(word) for word in text.split())
    if len(folded.replace(" ", "")) < 4:
        return None
    matches = difflib.get_close_matches(folded, list(_SUGGESTIONS), n=1, cutoff=0.75)
    return _SUGGESTIONS[matches[0]] if matches else None


def region_name(code: str) -> str:
    """The full name for a two-letter code ("PA" -> "Pennsylvania"); KeyError if unknown."""
    return REGION_BY_CODE[code.upper()].name
