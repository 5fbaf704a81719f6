"""The sections of the HTML report as plain data: what each says, in the report's language.

Every text here is final (translated, numbers through Babel) and still unescaped: the
template (reports/templates/) lays the sections out and escapes them. The words shared
with the results page (headings of the kinds of finding, severities, unanswered items)
live here too, so the page and the report say the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assessment.answers import ValidAnswers
from assessment.i18n import format_number, gettext_for, ngettext_for, percent_sign, translations
from assessment.questionnaire import Questionnaire
from assessment.questions import ServicePortfolioQuestion
from assessment.text import Language
from programmes.peers import PeerMedians
from reports import charts
from reports.html_parts import Cell, Chart, Table, figure, int_text
from reports.reference import index_meaning, peers_caption, stage_meaning
from scoring.headline import held_down_note, provisional_note, steps
from scoring.result import Finding, Result

FINDING_KINDS = ("red_flag", "gap", "strength")


def score_text(value: float | None, lang: Language) -> str:
    """A score with up to one decimal, or a dash when there is none yet."""
    return "–" if value is None else format_number(value, lang, 1)


def pct_text(value: float, lang: Language) -> str:
    """A percentage with up to one decimal, as `lang` writes it."""
    return format_number(value, lang, 1) + percent_sign(lang)


def kind_heading(kind: str, count: int, lang: Language = "en") -> str:
    """The heading of a kind of finding with its count, e.g. "Red flags (10)", in `lang`.

    A section heading: the plural whatever the count ("Red flags (1)"), as in a table of contents.
    """
    _ = gettext_for(lang)
    if kind == "red_flag":
        text = _("Red flags ({count})")
    elif kind == "gap":
        text = _("Gaps ({count})")
    else:
        text = _("Strengths ({count})")
    return text.format(count=count)


def severity_words(severity: str, lang: Language = "en") -> str:
    """A finding's severity in words in `lang`: "high importance", "medium importance"..."""
    t = translations(lang)
    words = {
        "high": t.pgettext("finding severity", "high importance"),
        "medium": t.pgettext("finding severity", "medium importance"),
        "low": t.pgettext("finding severity", "low importance"),
    }
    return words.get(severity, severity)


@dataclass(frozen=True, slots=True)
class Headline:
    """The result at a glance: index, stage, completeness, then the caveats and what they mean."""

    heading: str
    index_label: str
    index: str
    stage_label: str
    stage: str
    completeness_label: str
    completeness: str
    caveats: Sequence[str]
    meanings: Sequence[str]
    explanation: str
    unanswered_note: str  # "" when every item is answered


def headline(result: Result, lang: Language) -> Headline:
    """The result section, with the caveats the app and the text report give (provisional, held down)."""
    _ = gettext_for(lang)
    note = ""
    if result.completeness < 100:
        ngettext = ngettext_for(lang)
        note = ngettext(
            "{count} item is not answered yet; it is left out of the scores (never counted as zero) "
            "and listed at the end.",
            "{count} items are not answered yet; they are left out of the scores (never counted as zero) "
            "and listed at the end.",
            len(result.unanswered),
        ).format(count=int_text(len(result.unanswered), lang))
    stage = result.stage
    return Headline(
        heading=_("Result"),
        index_label=_("Sustainability index"),
        index=score_text(result.overall, lang),
        stage_label=_("Stage"),
        stage=stage.label,
        completeness_label=_("Completeness"),
        completeness=score_text(result.completeness, lang) + percent_sign(lang),
        caveats=[n for n in (provisional_note(result, lang), held_down_note(result, lang)) if n],
        meanings=[
            index_meaning(result.overall, lang),
            stage_meaning(stage.id, stage.label, stage.year_of_life, lang),
        ],
        explanation=result.overall_explanation,
        unanswered_note=note,
    )


@dataclass(frozen=True, slots=True)
class StepView:
    """A step of the action plan: what to fix, what it gains, what to do, and the source."""

    title: str
    gain: str
    together: str
    recommendation: str
    source: str


def action_plan(result: Result, lang: Language) -> list[StepView]:
    """The steps that would raise the index most (none when nothing would)."""
    _ = gettext_for(lang)
    return [
        StepView(s.title, s.gain, s.together, s.recommendation, _("Source: {source}").format(source=s.source))
        for s in steps(result, lang)
    ]


@dataclass(frozen=True, slots=True)
class FindingView:
    """A finding: its kind (the CSS class of its colour), title, tag line, evidence and advice."""

    kind: str
    title: str
    tag: str
    evidence: Sequence[tuple[str, str]]
    why: str
    explanation: str
    recommendation_label: str
    recommendation: str
    lesson_label: str = ""
    lesson: str = ""


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """The findings of one kind under their heading; `none` is said when there are none."""

    heading: str
    findings: Sequence[FindingView]
    none: str


def _finding(f: Finding, numbers: Mapping[str, str], lang: Language) -> FindingView:
    _ = gettext_for(lang)
    refs = [numbers[ev.question] for ev in f.evidence if ev.question in numbers]
    if f.item in numbers and numbers[f.item] not in refs:
        refs.insert(0, numbers[f.item])
    tag = _("{severity} · source {source}").format(severity=severity_words(f.severity, lang), source=f.source)
    if refs:
        ngettext = ngettext_for(lang)
        tag += " · " + ngettext("Question {numbers}", "Questions {numbers}", len(refs)).format(
            numbers=", ".join(refs)
        )
    return FindingView(
        kind=f.kind,
        title=f.title,
        tag=tag,
        evidence=[(ev.label, ev.value) for ev in f.evidence],
        why=_("Why:"),
        explanation=f.explanation,
        recommendation_label=_("Recommendation:"),
        recommendation=f.recommendation,
        lesson_label=_("What the sources say:") if f.lesson_text else "",
        lesson=f.lesson_text,
    )


def finding_groups(result: Result, numbers: Mapping[str, str], lang: Language) -> list[FindingGroup]:
    """Red flags, gaps and strengths, each under its heading with its count."""
    none = translations(lang).pgettext("no finding of this kind", "None.")
    groups = []
    for kind in FINDING_KINDS:
        found = result.findings_of(kind)  # type: ignore[arg-type]
        groups.append(
            FindingGroup(
                kind_heading(kind, len(found), lang), [_finding(f, numbers, lang) for f in found], none
            )
        )
    return groups


@dataclass(frozen=True, slots=True)
class Dimensions:
    """The radar over the peers' median (if any, with its caption) and the table of the seven scores."""

    heading: str
    chart: Chart
    peers_caption: str  # "" without peers
    table: Table


def dimensions(result: Result, name: str, lang: Language, peers: PeerMedians | None) -> Dimensions:
    """The dimensions section: the chart first, then weight, score and answered per dimension."""
    _ = gettext_for(lang)
    rows = [
        [
            Cell(d.title, note=d.explanation),
            Cell(score_text(d.weight, lang), num=True),
            Cell(score_text(d.score, lang), num=True),
            Cell(f"{int_text(d.answered, lang)}/{int_text(d.asked, lang)}", num=True),
        ]
        for d in result.dimensions
    ]
    return Dimensions(
        heading=_("Dimensions"),
        chart=figure(charts.radar([(name, result)], lang=lang, peers=peers), "radar"),
        peers_caption=peers_caption(peers, lang) if peers is not None else "",
        table=Table([_("Dimension"), _("Weight"), _("Score"), _("Answered")], rows),
    )


@dataclass(frozen=True, slots=True)
class ChartSection:
    """A section that is a chart and what to read it with (funding mix, service portfolio)."""

    heading: str
    chart: Chart
    caption: str  # "" when there is nothing to add
    muted: bool  # the caption is a reference (grey), not a finding of the cluster's


def portfolio(questionnaire: Questionnaire, answers: ValidAnswers, lang: Language) -> ChartSection | None:
    """Table 6 with the cluster's services, and its own services named; None without a portfolio answer."""
    _ = gettext_for(lang)
    portfolio_id = next(
        (q.id for q in questionnaire.questions.values() if isinstance(q, ServicePortfolioQuestion)), None
    )
    if not portfolio_id or portfolio_id not in answers.answers:
        return None
    plain = answers.to_data()["answers"].get(portfolio_id)
    own = [v.get("name") or k for k, v in (plain or {}).items() if k not in questionnaire.service_index]
    text = _("Services of the cluster's own: {services}.").format(services=", ".join(map(str, own)))
    return ChartSection(
        _("Service portfolio"),
        figure(charts.portfolio_matrix(questionnaire, plain, lang=lang), "portfolio"),
        text if own else "",
        muted=False,
    )


def answers_table(
    questionnaire: Questionnaire,
    numbers: Mapping[str, str],
    given: Mapping[str, Any],
    describe: Callable[[str, Any], str],
    lang: Language,
) -> Table:
    """The answers given, in the questionnaire's order and by number; `describe` puts an answer in words."""
    _ = gettext_for(lang)
    rows = [
        [Cell(numbers[qid], num=True), Cell(question.text.get(lang)), Cell(describe(qid, given[qid]))]
        for qid, question in questionnaire.questions.items()
        if given.get(qid) is not None
    ]
    return Table(["#", _("Question"), _("Answer")], rows)
