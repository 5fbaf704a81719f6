"""An administrator re-scores every submitted assessment from the users page (AppTest).

A real store on a tmp SQLite file with the demo clusters and accounts. The re-score must ask
for a reason and a confirmation, show how many it re-scored, name (by cluster and year) the
answer sets that kept their old scores, and be offered to administrators only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from storage import Store
from storage.db import make_engine
from storage.models import Answer, ResultSummary
from tests.apptest_support import APP, TIMEOUT, open_store
from tests.test_app_accounts import AEI_MANAGER, signed_in


@pytest.fixture
def store(tmp_path, monkeypatch) -> Iterator[Store]:
    yield from open_store(tmp_path, monkeypatch, demo=True, accounts=True)


def _summaries(store: Store) -> dict[int, tuple[float | None, bool]]:
    engine = make_engine(store.url)
    try:
        with engine.connect() as c:
            rows = c.execute(
                sa.select(ResultSummary.assessment_id, ResultSummary.overall, ResultSummary.rescored)
            )
            return {aid: (overall, rescored) for aid, overall, rescored in rows}
    finally:
        engine.dispose()


def _rescore(at: AppTest, reason: str, sure: bool) -> AppTest:
    at.text_input(key="adm:rescore_reason").input(reason)
    at.checkbox(key="adm:rescore_sure").set_value(sure)
    at.button(key="adm:rescore_go").click().run()
    assert not at.exception, at.exception
    return at


def test_an_administrator_rescores_every_submitted_assessment_with_a_reason(store):
    before = _summaries(store)
    assert before and not any(rescored for _, rescored in before.values())
    at = _rescore(signed_in("admin", page="admin"), "weights of 2027", sure=True)
    assert [s.value for s in at.success] and re.fullmatch(
        rf"{len(before)} submitted assessments re-scored in (under a second|[\d.]+ s)\.", at.success[0].value
    ), [s.value for s in at.success]
    after = _summaries(store)
    assert set(after) == set(before) and all(rescored for _, rescored in after.values())
    # the shipped questionnaire did not change, so neither did the scores
    assert {aid: overall for aid, (overall, _) in after.items()} == {
        aid: overall for aid, (overall, _) in before.items()
    }
    assert not any(_is_invalid_table(d) for d in at.dataframe) and not at.warning


def _is_invalid_table(element) -> bool:
    """The table of answer sets that kept their old scores (a keyed table without selection has no id)."""
    return list(element.value.columns) == ["cluster", "year", "version"]


def test_nothing_is_rescored_without_the_confirmation_or_a_reason(store):
    before = _summaries(store)
    at = _rescore(signed_in("admin", page="admin"), "weights of 2027", sure=False)
    assert any("Tick the box" in w.value for w in at.warning)
    assert not at.success
    at = _rescore(at, "   ", sure=True)
    assert any("reason" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.success
    assert _summaries(store) == before


def test_an_answer_set_that_no_longer_fits_is_named_by_its_cluster_and_year(store):
    cluster = store.clusters()[0]
    victim = store.assessments(cluster.id)[-1]
    engine = make_engine(store.url)
    try:
        with engine.begin() as c:  # as if the questionnaire had changed under a stored answer
            c.execute(
                sa.update(Answer)
                .where(
                    Answer.assessment_id == victim.id,
                    Answer.section == "profile",
                    Answer.key == "founded_year",
                )
                .values(value="not a year")
            )
    finally:
        engine.dispose()
    at = _rescore(signed_in("admin", page="admin"), "weights of 2027", sure=True)
    assert any("1 answer set no longer fits" in w.value for w in at.warning), [w.value for w in at.warning]
    (table,) = [d.value for d in at.dataframe if _is_invalid_table(d)]
    assert list(table["cluster"]) == [cluster.name]
    assert list(table["year"]) == [str(victim.year)]
    assert not _summaries(store)[victim.id][1]  # kept its old scores, not marked re-scored


def test_only_administrators_are_offered_the_rescore(store):
    at = signed_in("admin", page="admin")
    assert at.button(key="adm:rescore_go")
    for username in (AEI_MANAGER, "officer-demo"):
        at = signed_in(username)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("webapp/pages/admin.py")


def test_the_rescore_speaks_the_administrators_language(store):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["signed_in"] = "admin"
    at.session_state["lang"] = "es"  # before the first run: AppTest words a selectbox once, when drawn
    at.run()
    at.switch_page("webapp/pages/admin.py").run()
    assert "Volver a puntuar todas las evaluaciones enviadas" in [s.value for s in at.subheader]
    at = _rescore(at, "pesos de 2027", sure=True)
    count = len(_summaries(store))
    assert [s.value for s in at.success] and re.fullmatch(
        rf"{count} evaluaciones enviadas vueltas a puntuar en (menos de un segundo|[\d,]+ s)\.",
        at.success[0].value,
    ), [s.value for s in at.success]
