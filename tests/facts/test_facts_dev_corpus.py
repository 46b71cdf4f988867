"""End to end on a subset of the dev corpus (tests/gold/dev_facts/posts): the facts, events and
conflicts below were checked by hand against the posts (see tests/gold/dev_facts/expected.jsonl).
"""

from __future__ import annotations

import shutil

import pytest

from recap_nlp.pipeline import runner as pipeline
from recap_nlp.pipeline.options import RunOptions
from recap_nlp.records import Conflict, Event, FactMention, RunResult
from tests.conftest import REPO

POSTS = REPO / "tests" / "gold" / "dev_facts" / "posts"
SUBSET = (
    "salon_2024_presse.md",
    "salon_2024_exposant.md",
    "salon_2024_region.txt",
    "salon_2023_blog.md",
    "mission_antilles_cpme.txt",
    "mission_antilles_participant.md",
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    folder = tmp_path_factory.mktemp("dev")
    for name in SUBSET:
        shutil.copy(POSTS / name, folder / name)
    documents, _, _ = pipeline.read_documents(folder)
    return pipeline.analyse(documents, RunOptions(use_cache=False, n_themes=2))


def _event_of(run: RunResult, doc_id: str, attribute: str) -> Event:
    (fact,) = [f for f in run.facts if f.doc_id == doc_id and f.attribute == attribute]
    return next(e for e in run.events if e.event_id == fact.event_id)


def _conflict(run: RunResult, event: Event, attribute: str) -> Conflict:
    return next(
        c for c in run.conflicts if c.event_id == event.event_id and c.attribute == attribute
    )


def _facts(run: RunResult, event: Event, attribute: str) -> list[FactMention]:
    return [f for f in run.facts if f.event_id == event.event_id and f.attribute == attribute]


@pytest.mark.slow
def test_three_posts_one_salon_with_majority_figures(run: RunResult) -> None:
    salon = _event_of(run, "salon_2024_region", "exhibitors")
    assert salon.doc_ids == ("salon_2024_exposant", "salon_2024_presse", "salon_2024_region")
    assert (salon.start_date, salon.end_date, salon.cities) == (
        "2024-05-22",
        "2024-05-25",
        ("Nantes",),
    )
    exhibitors = _conflict(run, salon, "exhibitors")
    assert sorted(exhibitors.values) == ["2800", "2800", "3000"]
    assert (exhibitors.status, exhibitors.chosen) == ("conflict", "2800")
    visitors = _conflict(run, salon, "participants")
    assert (visitors.status, visitors.chosen) == ("conflict", "165000")
    organiser = _conflict(run, salon, "organiser")
    assert (organiser.status, organiser.chosen) == ("agree", "Ouest Events")


@pytest.mark.slow
def test_the_delegation_trip_is_not_the_salon(run: RunResult) -> None:
    salon = _event_of(run, "salon_2024_region", "exhibitors")
    trip = _event_of(run, "salon_2024_exposant", "delegation_size")
    assert trip.event_id != salon.event_id
    assert [f.value for f in _facts(run, trip, "delegation_size")] == ["12"]
    assert [f.value for f in _facts(run, trip, "organiser")] == ["CCI Bretagne Ouest"]
    assert not _facts(run, salon, "delegation_size")


@pytest.mark.slow
def test_other_edition_stays_apart(run: RunResult) -> None:
    edition_2023 = _event_of(run, "salon_2023_blog", "exhibitors")
    assert edition_2023.doc_ids == ("salon_2023_blog",)
    assert (edition_2023.start_date, edition_2023.end_date) == ("2023-06-14", "2023-06-17")
    next_edition = [e for e in run.events if e.start_date == "2025-06-11"]
    assert [e.doc_ids for e in next_edition] == [("salon_2024_presse",)]


@pytest.mark.slow
def test_mission_told_twice(run: RunResult) -> None:
    mission = _event_of(run, "mission_antilles_participant", "delegation_size")
    assert mission.doc_ids == ("mission_antilles_cpme", "mission_antilles_participant")
    size = _conflict(run, mission, "delegation_size")
    # "pas moins d'une cinquantaine" (38..) covers 47: compatible, the exact figure chosen.
    assert (size.status, size.chosen) == ("compatible", "47")
    dates = _conflict(run, mission, "date")
    # 4-9 vs 3-9 November: a real conflict, decided by the organiser's own post.
    assert (dates.status, dates.chosen) == ("conflict", "2024-11-04..2024-11-09")
    assert "organiser" in dates.reason
    assert [f.value for f in _facts(run, mission, "organiser")] == ["CPME du Doubs"]
