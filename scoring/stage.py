"""The cluster's life-cycle stage: derived from its age, or set by the manager."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessment.i18n import gettext_for
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from scoring.result import StageInfo


def stage_for_year(questionnaire: Questionnaire, year_of_life: int) -> str:
    """The stage whose band holds `year_of_life` (year 1 is the founding year)."""
    for stage in questionnaire.stages:
        if stage.until_year is None or year_of_life <= stage.until_year:
            return stage.id
    return questionnaire.stages[-1].id


def determine_stage(
    questionnaire: Questionnaire, year: int, profile: Mapping[str, Any], lang: Language = "en"
) -> StageInfo:
    """Derive the stage from the founding year; an override in the profile wins, and says so."""
    _ = gettext_for(lang)
    rule = questionnaire.stage_rule
    labels = {s.id: s.label.get(lang) for s in questionnaire.stages}
    founded = profile.get(rule.founded_field)
    year_of_life = year - founded + 1 if founded is not None else None
    derived = stage_for_year(questionnaire, year_of_life) if year_of_life is not None else None
    override = profile.get(rule.override_field) if rule.override_field else None
    if override is not None:
        because = (
            _("derived from the founding year it would be {stage}").format(stage=labels[derived])
            if derived
            else _("no founding year given")
        )
        return StageInfo(
            override,
            labels[override],
            year_of_life,
            True,
            _("Set to {stage} by the manager ({because}).").format(stage=labels[override], because=because),
        )
    if derived is None:
        return StageInfo(
            None,
            _("Unknown"),
            None,
            False,
            _(
                "Unknown: give the founding year (or choose a stage) to score the funding mix "
                "against the stage."
            ),
        )
    return StageInfo(
        derived,
        labels[derived],
        year_of_life,
        False,
        _("Year {year_of_life} of life (founded {founded}, answers for {year}): {stage}.").format(
            year_of_life=year_of_life, founded=founded, year=year, stage=labels[derived]
        ),
    )


class StageMemo:
    """`determine_stage` for one questionnaire and language, remembered.

    The stage depends only on the year answered, the founding year and the override, and
    a programme has a few dozen such combinations: remembering them keeps the stage out
    of the scoring loop. At most `at_most` are kept, so odd data cannot grow it unbounded.
    """

    def __init__(self, questionnaire: Questionnaire, lang: Language, at_most: int = 4096) -> None:
        self._questionnaire = questionnaire
        self._lang: Language = lang
        self._founded = questionnaire.stage_rule.founded_field
        self._override = questionnaire.stage_rule.override_field
        self._known: dict[tuple[Any, ...], StageInfo] = {}
        self._at_most = at_most

    def __call__(self, year: int, profile: Mapping[str, Any]) -> StageInfo:
        """The stage of an answer set answered for `year` with `profile`."""
        override = profile.get(self._override) if self._override else None
        key = (year, profile.get(self._founded), override)
        stage = self._known.get(key)
        if stage is None:
            stage = determine_stage(self._questionnaire, year, profile, self._lang)
            if len(self._known) < self._at_most:
                self._known[key] = stage
        return stage
