"""What member firms say, set beside what the manager answered, and used for scoring when enough say it.

With at least the survey's `min_responses`, the members' own figures stand in for the
manager's and for Table 6's European averages (002 s6.2.2): the uptake of each offered
service becomes the share of responding firms that used it, each service's valuation
becomes the members' median on Table 6's scale, and each maturity question a survey
question informs takes the members' median level. The engine then scores as always, so
gates, caps and findings work on the members' view unchanged. Where the two views part,
the result says so in plain words ("Table 6 rates training highly valued; 3 of 14
members do"). Below the minimum, only the count is reported and nothing changes.

Pure: responses (already checked by `assessment.survey.check_response`) in, a derived
questionnaire and answer set out, plus the reading to attach to the result.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from assessment.answers import ServiceUse, ValidAnswers
from assessment.i18n import format_number, gettext_for
from assessment.questionnaire import Questionnaire
from assessment.questions import MaturityQuestion
from assessment.text import Language
from scoring.describe import percent
from scoring.engine import Engine
from scoring.result import MembersReading, Result

_SCALE = ("medium_low", "medium", "high")  # Table 6's valuation scale, lowest first


def apply_members(
    questionnaire: Questionnaire,
    answers: ValidAnswers,
    responses: Sequence[Mapping[str, Any]],
    lang: Language = "en",
) -> tuple[Questionnaire, ValidAnswers, MembersReading | None]:
    """The questionnaire and answers to score with the members' view, and the reading to report.

    Unchanged (and no reading) when the questionnaire has no survey or nobody answered.
    """
    survey = questionnaire.survey
    if survey is None or not responses:
        return questionnaire, answers, None
    n = len(responses)
    satisfaction = [r["satisfaction"] for r in responses if r.get("satisfaction") is not None]
    mean = round(statistics.fmean(satisfaction), 1) if satisfaction else None
    if n < survey.min_responses:
        return questionnaire, answers, MembersReading(n, survey.min_responses, False, mean, len(satisfaction))
    _ = gettext_for(lang)
    names = {s.id: s.name.get(lang) for s in questionnaire.services}
    table6 = {s.id: s.member_valuation for s in questionnaire.services}
    scale_words = {k: v.get(lang) for k, v in survey.value_levels.items()}
    notes: list[str] = []
    replaced: list[str] = []
    new_answers = dict(answers.answers)
    new_valuation: dict[str, str] = {}

    for qid, value in answers.answers.items():
        if not (isinstance(value, tuple) and value and isinstance(value[0], ServiceUse)):
            continue
        uses = []
        for use in value:
            if not use.offered:
                uses.append(use)
                continue
            name = use.name or names.get(use.service, use.service)
            rows = [r.get("services", {}).get(use.service) or {} for r in responses]
            used = sum(1 for row in rows if row.get("used"))
            share = 100.0 * used / n
            if use.uptake is not None and abs(use.uptake - share) >= survey.uptake_gap:
                notes.append(
                    _(
                        "You put the uptake of {service} at {manager}; {used} of {n} member firms "
                        "say they used it ({share})."
                    ).format(
                        service=name,
                        manager=percent(use.uptake, lang),
                        used=used,
                        n=n,
                        share=percent(share, lang),
                    )
                )
            rated = sorted(_SCALE.index(row["value"]) for row in rows if row.get("value") in _SCALE)
            if rated:
                median = _SCALE[rated[(len(rated) - 1) // 2]]
                high = sum(1 for v in rated if v == 2)
                if use.service in table6:
                    new_valuation[use.service] = median
                    if table6[use.service] == "high" and median != "high":
                        notes.append(
                            _(
                                "Table 6 rates {service} highly valued; {high} of {rated} member firms do."
                            ).format(service=name, high=high, rated=len(rated))
                        )
                    elif table6[use.service] != "high" and median == "high":
                        notes.append(
                            _(
                                "{high} of {rated} member firms value {service} highly, above Table 6's "
                                "European rating ({table6})."
                            ).format(
                                service=name,
                                high=high,
                                rated=len(rated),
                                table6=scale_words[table6[use.service]],
                            )
                        )
            payers = [row for row in rows if row.get("would_pay")]
            if not use.charged and 2 * len(payers) >= n:
                amounts = [row["amount"] for row in payers if row.get("amount") is not None]
                text = _("{payers} of {n} member firms would pay for {service}, which is free today.").format(
                    payers=len(payers), n=n, service=name
                )
                if amounts:
                    text += " " + _("Their median offer is {amount} a year.").format(
                        amount=format_number(statistics.median(amounts), lang, decimals=0)
                    )
                notes.append(text)
            uses.append(use._replace(uptake=round(share, 1)))
        new_answers[qid] = tuple(uses)
        replaced.append(_("the uptake of each service (share of responding member firms that used it)"))
    if new_valuation:
        replaced.append(_("Table 6's valuation of each service (the members' median rating)"))

    for level_question in survey.levels:
        target = questionnaire.questions.get(level_question.informs)
        if not isinstance(target, MaturityQuestion):
            continue
        picked = sorted(
            r["levels"][level_question.id] for r in responses if level_question.id in (r.get("levels") or {})
        )
        if len(picked) < survey.min_responses:
            continue
        median_level = picked[(len(picked) - 1) // 2]
        labels = {lv.value: lv.label.get(lang) for lv in target.levels}
        mine = answers.answers.get(target.id)
        title = target.text.get(lang)
        if isinstance(mine, int) and abs(mine - median_level) >= 1:
            notes.append(
                _(
                    "“{question}”: you answered level {mine} ({mine_label}); the median of {n} member "
                    "firms is level {median} ({median_label})."
                ).format(
                    question=title,
                    mine=mine,
                    mine_label=labels[mine],
                    n=len(picked),
                    median=median_level,
                    median_label=labels[median_level],
                )  # fmt: skip
            )
        new_answers[target.id] = median_level
        replaced.append(_("“{question}” (the members' median level)").format(question=title))

    derived = questionnaire
    if new_valuation:
        services = [
            s.model_copy(update={"member_valuation": new_valuation[s.id]}) if s.id in new_valuation else s
            for s in questionnaire.services
        ]
        derived = questionnaire.model_copy(update={"services": services})
    reading = MembersReading(
        n, survey.min_responses, True, mean, len(satisfaction), tuple(notes), tuple(dict.fromkeys(replaced))
    )
    return derived, dataclasses.replace(answers, answers=new_answers), reading


def score_with_members(
    engine: Engine, answers: ValidAnswers, responses: Sequence[Mapping[str, Any]]
) -> Result:
    """The result of `answers` with the members' view applied (see the module), the reading attached.

    The engine is recompiled only when the members' valuations change Table 6's: uptake and
    levels are answers, which the same engine scores.
    """
    derived, member_answers, reading = apply_members(engine.questionnaire, answers, responses, engine.lang)
    scorer = engine if derived is engine.questionnaire else Engine(derived, engine.lang)
    result = scorer.score(member_answers)
    return result if reading is None else dataclasses.replace(result, members=reading)
