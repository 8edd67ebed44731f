"""The table of states, territories and provinces, and how their names are read."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sro_desktop.services.regions import (
    REGION_BY_CODE,
    REGIONS,
    Region,
    find_region,
    region_key,
    region_name,
    suggest_region,
)


def test_the_table_holds_every_state_province_and_territory_once() -> None:
    kinds = Counter((region.country, region.kind) for region in REGIONS)
    assert kinds == {
        ("US", "state"): 50,
        ("US", "district"): 1,
        ("US", "territory"): 5,
        ("US", "military"): 3,
        ("CA", "province"): 10,
        ("CA", "territory"): 3,
    }
    assert len(REGION_BY_CODE) == len(REGIONS)
    assert len({region.name for region in REGIONS}) == len(REGIONS)
    assert all(len(code) == 2 and code.isupper() for code in REGION_BY_CODE)


@pytest.mark.parametrize("region", REGIONS, ids=lambda region: region.code)
def test_every_code_and_name_finds_its_region(region: Region) -> None:
    assert find_region(region.code) is region
    assert find_region(region.code.lower()) is region
    assert find_region(region.name) is region
    assert find_region(region.name.upper()) is region
    assert find_region(f"  {region.name}  ") is region


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Penn.", "PA"),
        ("Penna", "PA"),
        ("Mass.", "MA"),
        ("Calif.", "CA"),
        ("N.J.", "NJ"),
        ("N. Carolina", "NC"),
        ("W.Va.", "WV"),
        ("Wisc.", "WI"),
        ("Washington DC", "DC"),
        ("Washington, D.C.", "DC"),
        ("USVI", "VI"),
        ("Virgin Islands", "VI"),
        ("Québec", "QC"),
        ("Que.", "QC"),
        ("PQ", "QC"),
        ("Colombie-Britannique", "BC"),
        ("Terre-Neuve-et-Labrador", "NL"),
        ("Nfld.", "NL"),
        ("Île-du-Prince-Édouard", "PE"),
        ("P.E.I.", "PE"),
        ("Territoires du Nord-Ouest", "NT"),
        ("Yukon Territory", "YT"),
        ("State of New York", "NY"),
        ("Commonwealth of Pennsylvania", "PA"),
        ("Province of Ontario", "ON"),
        ("Ontario, Canada", "ON"),
        ("Texas, USA", "TX"),
        ("PA - Pennsylvania", "PA"),
        ("Pennsylvania (PA)", "PA"),
        ("ON / Ontario", "ON"),
    ],
)
def test_other_ways_of_writing_a_region(text: str, code: str) -> None:
    region = find_region(text)
    assert region is not None
    assert region.code == code


@pytest.mark.parametrize(
    "text",
    ["", "XX", "Canada", "USA", "Bavaria", "PA, NJ", "Pennsylvania (NJ)", "Georgia (country)"],
)
def test_what_names_no_region(text: str) -> None:
    assert find_region(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Pensylvania", "PA"),
        ("Pennsilvania", "PA"),
        ("Massachusets", "MA"),
        ("Conneticut", "CT"),
        ("Missisippi", "MS"),
        ("Tennesee", "TN"),
        ("Ontaria", "ON"),
        ("Saskatchewen", "SK"),
        ("Nova Scota", "NS"),
        ("New Jersy", "NJ"),
    ],
)
def test_suggest_region_for_misspellings(text: str, code: str) -> None:
    region = suggest_region(text)
    assert region is not None
    assert region.code == code


@pytest.mark.parametrize("text", ["", "XX", "Bavaria", "Zzzzzzzz", "PX"])
def test_suggest_region_stays_quiet_when_nothing_is_close(text: str) -> None:
    assert suggest_region(text) is None


def test_region_name() -> None:
    assert region_name("PA") == "Pennsylvania"
    assert region_name("qc") == "Quebec"
    with pytest.raises(KeyError):
        region_name("XX")


def test_region_key_folds_case_accents_and_punctuation() -> None:
    assert region_key("Québec") == region_key("QUEBEC") == "quebec"
    assert region_key("N.J.") == "nj"
    assert region_key("Nord-Ouest") == "nordouest"


@given(st.text())
def test_find_and_suggest_take_any_text(text: str) -> None:
    for result in (find_region(text), suggest_region(text)):
        assert result is None or result in REGIONS
