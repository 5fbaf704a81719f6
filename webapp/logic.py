"""What the pages compute, kept free of Streamlit so it can be tested and reused.

Visibility of conditional questions, progress, what is missing before submitting,
answers in the plain form the store and answers files hold, the service-portfolio
table and the comparison of assessments over time. What they word for the user is in
the language they are given (`lang`, English by default), never a session's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from assessment.answers import FUNDING_SUM_TOLERANCE, ValidAnswers
from assessment.checks import FundingStageCheck
from assessment.i18n import N_, gettext_for, translations
from assessment.questionnaire import Questionnaire
from assessment.questions import FundingMixQuestion, QuestionBase
from assessment.text import Language
from scoring.result import Finding, Result

PROFILE_SECTION = "profile"
SUBMIT_SECTION = "submit"


# --- conditional questions and progress -----------------------------------------------------


def visible_questions(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, bool]:
    """Question id -> whether it is asked, given the answers so far.

    The engine's rule (`Questionnaire.hidden`): a question with a condition is asked when
    the question it names is itself asked and its answer meets the condition.
    """
    hidden = questionnaire.hidden(answers)
    return {qid: qid not in hidden for qid in questionnaire.questions}


@dataclass(frozen=True, slots=True)
class Progress:
    """How many of the asked questions have an answer."""

    answered: int
    asked: int

    @property
    def fraction(self) -> float:
        """Answered over asked, 0-1 (1 when nothing is asked)."""
        return self.answered / self.asked if self.asked else 1.0

    def label(self, lang: Language = "en") -> str:
        """E.g. "5 of 8 answered", in `lang`."""
        _ = gettext_for(lang)
        return _("{answered} of {asked} answered").format(
            answered=self.answered, asked=self.asked
        )

    def bar(self, width: int = 10) -> str:
        """The fraction as a bar of `width` blocks, e.g. "▰▰▰▰▰▱▱▱▱▱" for 4 of 8.

        A text bar lets one Markdown element show the progress of every dimension at once.
        A started dimension shows at least one block, and only a finished one shows them all.
        """
        filled = round(self.fraction * width)
        if self.answered and not filled:
            filled = 1
        if filled == width and self.answered < self.asked:
            filled = width - 1
        return "▰" * filled + "▱" * (width - filled)


def progress(
    questionnaire: Questionnaire, answers: Mapping[str, Any], shown: Mapping[str, bool] | None = None
) -> tuple[Progress, dict[str, Progress]]:
    """Overall progress and progress per dimension, counting only the questions asked."""
    shown = visible_questions(questionnaire, answers) if shown is None else shown
    per: dict[str, Progress] = {}
    total_answered = total_asked = 0
    for dim in questionnaire.dimensions:
        asked = [q.id for q in dim.questions if shown[q.id]]
        answered = sum(1 for qid in asked if answers.get(qid) is not None)
        per[dim.id] = Progress(answered, len(asked))
        total_answered += answered
        total_asked += len(asked)
    return Progress(total_answered, total_asked), per


@dataclass(frozen=True, slots=True)
class Missing:
    """Something still unanswered: a profile field or a question, with where it is asked."""

    section: str
    item: str
    label: str


def missing_items(
    questionnaire: Questionnaire, data: Mapping[str, Any], lang: Language = "en"
) -> list[Missing]:
    """Required profile fields and asked questions without an answer yet, in form order, worded in `lang`."""
    profile = data.get("profile") or {}
    answers = data.get("answers") or {}
    out = [
        Missing(PROFILE_SECTION, f"profile.{f.id}", f.label.get(lang))
        for f in questionnaire.profile
        if f.required and profile.get(f.id) is None
    ]
    shown = visible_questions(questionnaire, answers)
    for dim in questionnaire.dimensions:
        out += [
            Missing(dim.id, q.id, q.text.get(lang))
            for q in dim.questions
            if shown[q.id] and answers.get(q.id) is None
        ]
    return out


def plain_answer(question_id: str, normalised: Any) -> Any:
    """A checked answer in the plain form of an answers file (lists and mappings, no tuples)."""
    data = ValidAnswers("", "", 0, {}, {question_id: normalised}).to_data()
    return data["answers"][question_id]


# --- funding mix ------------------------------------------------------------------------------


def funding_question(questionnaire: Questionnaire) -> FundingMixQuestion | None:
    """The questionnaire's funding-mix question, if it has one."""
    return next((q for q in questionnaire.questions.values() if isinstance(q, FundingMixQuestion)), None)


def funding_total(shares: Mapping[str, float | None]) -> float:
    """The sum of the typed shares, empty ones counting as zero."""
    return float(sum(v or 0 for v in shares.values()))


def funding_sums_to_100(shares: Mapping[str, float | None]) -> bool:
    """Whether the shares add up to 100 within the tolerance answers are checked with."""
    return abs(funding_total(shares) - 100) <= FUNDING_SUM_TOLERANCE


def public_share(question: FundingMixQuestion, shares: Mapping[str, float | None]) -> float:
    """The share of income from public sources."""
    public = {s.id for s in question.sources if s.public}
    return float(sum(v or 0 for k, v in shares.items() if k in public))


def funding_stage_check(questionnaire: Questionnaire) -> FundingStageCheck | None:
    """The cross-check that sets the public-share limits by stage and the European benchmark."""
    return next((c for c in questionnaire.checks if isinstance(c, FundingStageCheck)), None)


# --- service portfolio ------------------------------------------------------------------------

PORTFOLIO_COLUMNS = ("service", "extension", "financial_contribution", "member_valuation")
EDITABLE_COLUMNS = ("offered", "charged", "uptake")
OWN_SERVICE = N_("(own service)")


@cache
def _rating_words(lang: Language) -> dict[str, str]:
    t = translations(lang)
    return {
        "very_rarely": t.pgettext("Table 6 rating", "very rarely"),
        "rare": t.pgettext("Table 6 rating", "rare"),
        "habitual": t.pgettext("Table 6 rating", "habitual"),
        "frequent": t.pgettext("Table 6 rating", "frequent"),
        "none": t.pgettext("Table 6 rating", "none"),
        "medium_low": t.pgettext("Table 6 rating", "medium-low"),
        "medium": t.pgettext("Table 6 rating", "medium"),
        "medium_high": t.pgettext("Table 6 rating", "medium-high"),
        "high": t.pgettext("Table 6 rating", "high"),
    }


def rating_words(value: str, lang: Language = "en") -> str:
    """A Table 6 rating in words of `lang`, e.g. medium_high -> "medium-high" (an unknown one as it is)."""
    return _rating_words(lang).get(value, value)


def portfolio_rows(
    questionnaire: Questionnaire, answer: Mapping[str, Any] | None, lang: Language = "en"
) -> list[dict[str, Any]]:
    """One row per Table 6 service, then the cluster's own services, with what was answered.

    Table 6's names and ratings are in `lang`; a service of the cluster's own keeps the name
    the manager typed.
    """
    answer = dict(answer or {})
    own = gettext_for(lang)(OWN_SERVICE)
    rows = []
    for service in questionnaire.services:
        entry = answer.pop(service.id, None) or {}
        offered = bool(entry.get("offered", True)) if entry else False
        rows.append(
            {
                "id": service.id,
                "service": service.name.get(lang),
                "extension": rating_words(service.extension, lang),
                "financial_contribution": rating_words(service.financial_contribution, lang),
                "member_valuation": rating_words(service.member_valuation, lang),
                "offered": offered,
                "charged": bool(entry.get("charged", False)),
                "uptake": entry.get("uptake"),
            }
        )
    for service_id, entry in sorted(answer.items()):  # own services in a stable order
        entry = entry or {}
        rows.append(
            {
                "id": service_id,
                "service": str(entry.get("name") or service_id),
                "extension": own,
                "financial_contribution": own,
                "member_valuation": own,
                "offered": bool(entry.get("offered", True)),
                "charged": bool(entry.get("charged", False)),
                "uptake": entry.get("uptake"),
            }
        )
    return rows


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # NaN from a table


def rows_to_answer(questionnaire: Questionnaire, rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The portfolio answer from table rows: offered Table 6 services, and every own service.

    A Table 6 service that is not offered is left out (the answers file's convention); a
    service of the cluster's own is kept with its name even when not offered, so that it
    is not lost. An uptake typed for a service not offered is ignored.
    """
    catalogue = questionnaire.service_index
    out: dict[str, Any] = {}
    for row in rows:
        service_id = row["id"]
        offered = bool(row.get("offered"))
        charged = bool(row.get("charged"))
        own = service_id not in catalogue
        if not offered and not charged and not own:
            continue
        entry: dict[str, Any] = {}
        if own:
            entry["name"] = row.get("service")
        entry["offered"] = offered
        entry["charged"] = charged
        uptake = row.get("uptake")
        if offered and not _is_blank(uptake):
            entry["uptake"] = float(uptake)
        out[service_id] = entry
    return out


def apply_editor_state(rows: Sequence[Mapping[str, Any]], state: Mapping[str, Any] | None) -> list[dict]:
    """Rows after the edits `st.data_editor` keeps in session state (edited cells only here)."""
    out = [dict(r) for r in rows]
    for index, changes in ((state or {}).get("edited_rows") or {}).items():
        i = int(index)
        if 0 <= i < len(out):
            out[i].update(changes)
    return out


def own_service_id(name: str, taken: Iterable[str]) -> str:
    """An id for a service the cluster adds, from its name, unique among `taken`."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "service"
    base = f"own_{base}"
    taken = set(taken)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


# --- questions and findings -------------------------------------------------------------------


def question_of_item(questionnaire: Questionnaire, result: Result | None, item_id: str) -> str | None:
    """The question to open for a finding's item: itself, or the first question a check read."""
    if item_id in questionnaire.questions:
        return item_id
    if result is not None:
        try:
            inputs = result.item(item_id).inputs
        except StopIteration:
            inputs = ()
        for qid in inputs:
            if qid in questionnaire.questions:
                return qid
    for check in questionnaire.checks:
        if check.id == item_id:
            for param in check.question_refs():
                ref = getattr(check, param)
                if ref in questionnaire.questions:
                    return ref
    return None


def finding_questions(questionnaire: Questionnaire, result: Result, finding: Finding) -> list[str]:
    """Every question behind a finding: its evidence, or the question that raised it."""
    ids = [ev.question for ev in finding.evidence if ev.question in questionnaire.questions]
    first = question_of_item(questionnaire, result, finding.item)
    if first and first not in ids:
        ids.insert(0, first)
    return ids


# --- comparing assessments ---------------------------------------------------------------------


def dimension_table(
    labels: Sequence[str], results: Sequence[Result], lang: Language = "en"
) -> list[dict[str, Any]]:
    """One row per dimension: its score in each assessment and the change from first to last.

    Dimension titles are the results' own (an engine of `lang` words them); the index row is named in `lang`.
    """
    if not results:
        return []
    rows = []
    for i, dim in enumerate(results[0].dimensions):
        row: dict[str, Any] = {"dimension": dim.title}
        scores = [r.dimensions[i].score for r in results]
        for label, score in zip(labels, scores, strict=True):
            row[label] = score
        first, last = scores[0], scores[-1]
        row["change"] = None if first is None or last is None else round(last - first, 1)
        rows.append(row)
    _ = gettext_for(lang)
    overall: dict[str, Any] = {"dimension": _("Sustainability index")}
    for label, r in zip(labels, results, strict=True):
        overall[label] = r.overall
    first, last = results[0].overall, results[-1].overall
    overall["change"] = None if first is None or last is None else round(last - first, 1)
    rows.append(overall)
    return rows


def _finding_key(f: Finding) -> tuple[str, str, str]:
    return (f.kind, f.item, f.lesson)


@dataclass(frozen=True, slots=True)
class FindingChanges:
    """How the findings moved between two assessments."""

    new: list[Finding]
    resolved: list[Finding]
    kept: list[tuple[Finding, Finding]]


def compare_findings(before: Result, after: Result) -> FindingChanges:
    """Findings that appeared, disappeared or stayed (matched by kind, item and lesson)."""
    old = {_finding_key(f): f for f in before.findings}
    new = {_finding_key(f): f for f in after.findings}
    return FindingChanges(
        new=[f for k, f in new.items() if k not in old],
        resolved=[f for k, f in old.items() if k not in new],
        kept=[(old[k], f) for k, f in new.items() if k in old],
    )


def question_dimension(questionnaire: Questionnaire, question_id: str) -> str:
    """The dimension a question is asked in."""
    return questionnaire.dimension_of[question_id]


def question_number(questionnaire: Questionnaire) -> dict[str, str]:
    """Question id -> a short reference such as "2.3" (dimension 2, question 3)."""
    out = {}
    for di, dim in enumerate(questionnaire.dimensions, 1):
        for qi, q in enumerate(dim.questions, 1):
            out[q.id] = f"{di}.{qi}"
    return out


def question(questionnaire: Questionnaire, question_id: str) -> QuestionBase:
    """A question by id."""
    return questionnaire.questions[question_id]
