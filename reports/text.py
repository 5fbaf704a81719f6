"""The result as a readable text report, for the command line and plain-text exports.

The report is written in the language it is asked for; the result's own texts (reasons,
titles, recommendations) are already in the language the engine scored it in, so pass
the same language to both.
"""

from __future__ import annotations

from assessment.i18n import N_, format_number, gettext_for, ngettext_for, translations
from assessment.numbering import item_title, question_number
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from reports.members import members_lines
from scoring.describe import number, percent
from scoring.headline import held_down_note, provisional_note, steps
from scoring.result import Finding, Result

_HEADINGS = (("red_flag", N_("Red flags")), ("gap", N_("Gaps")), ("strength", N_("Strengths")))
_SEVERITIES = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
_BAR_WIDTH = 20


def _bar(score: float | None, lang: Language) -> str:
    if score is None:
        return gettext_for(lang)("(no score yet)")
    filled = round(score / 100 * _BAR_WIDTH)
    return "#" * filled + "." * (_BAR_WIDTH - filled)


def _score_cell(score: float | None, lang: Language) -> str:
    """A dimension's score in a five-character column, one decimal always shown."""
    if score is None:
        return "  -  "
    if lang == "en":
        return f"{score:5.1f}"
    return format_number(score, lang, decimals=1, grouping=False, trim=False).rjust(5)


def _finding_lines(index: int, finding: Finding, lang: Language) -> list[str]:
    _ = gettext_for(lang)
    severity = _(_SEVERITIES.get(finding.severity, finding.severity))
    lines = [f"  {index}. [{severity}] {finding.title}"]
    for ev in finding.evidence:
        lines.append(_("     Evidence: {question} -> {answer}").format(question=ev.label, answer=ev.value))
    lines.append(_("     Why: {explanation}").format(explanation=finding.explanation))
    lines.append(_("     Recommendation: {recommendation}").format(recommendation=finding.recommendation))
    if finding.lesson_text:
        lines.append(
            _("     What the sources say: {lesson} ({source})").format(
                lesson=finding.lesson_text, source=finding.source
            )
        )
    else:
        lines.append(_("     Source: {source}").format(source=finding.source))
    return lines


def text_report(result: Result, lang: Language = "en", *, questionnaire: Questionnaire) -> str:
    """Scores, stage, red flags, gaps with recommendations, strengths and what is missing, in `lang`.

    The questionnaire names what is missing by its number and title, never its id.
    """
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    pgettext = translations(lang).pgettext
    nothing = {
        "red_flag": pgettext("no red flag", "none"),
        "gap": pgettext("no gap", "none"),
        "strength": pgettext("no strength", "none"),
    }
    overall = (
        _("no score yet")
        if result.overall is None
        else _("{score} / 100").format(score=number(result.overall, lang))
    )
    lines = [
        _("{cluster}: answers for {year}").format(
            cluster=result.cluster or _("(unnamed cluster)"), year=result.year
        ),
        _("Questionnaire {questionnaire}, scoring engine {engine}").format(
            questionnaire=result.questionnaire, engine=result.engine_version
        ),
        "",
        _("Sustainability index: {overall}   (completeness {completeness})").format(
            overall=overall, completeness=percent(result.completeness, lang)
        ),
    ]
    lines += [f"  {note}" for note in (provisional_note(result, lang), held_down_note(result, lang)) if note]
    lines += [
        _("Stage: {stage}. {explanation}").format(
            stage=result.stage.label, explanation=result.stage.explanation
        ),
        "",
    ]
    members = members_lines(result.members, lang)
    if members:
        lines += [*members, ""]
    plan = steps(result, lang)
    if plan:
        lines.append(_("Action plan: the steps that would raise the index most"))
        for i, step in enumerate(plan, 1):
            lines.append(f"  {i}. {step.title} ({step.gain})")
            if step.together:
                lines.append(f"     {step.together}")
            lines.append(_("     What to do: {recommendation}").format(recommendation=step.recommendation))
        lines.append("")
    lines.append(_("Dimensions:"))
    width = max(len(d.title) for d in result.dimensions)
    for d in result.dimensions:
        answered = _("{answered}/{asked} answered").format(answered=d.answered, asked=d.asked)
        lines.append(f"  {d.title:<{width}}  {_score_cell(d.score, lang)}  {_bar(d.score, lang)}  {answered}")
    for kind, heading in _HEADINGS:
        found = result.findings_of(kind)  # type: ignore[arg-type]
        lines += ["", _("{heading} ({count}):").format(heading=_(heading), count=len(found))]
        if not found:
            lines.append("  " + nothing[kind])
        for i, finding in enumerate(found, 1):
            lines += _finding_lines(i, finding, lang)
    if result.unanswered:
        count = len(result.unanswered)
        missing = ngettext(
            "Not answered yet ({count}): {items}", "Not answered yet ({count}): {items}", count
        )
        numbers = question_number(questionnaire)
        items = "; ".join(item_title(questionnaire, numbers, i, lang) for i in result.unanswered)
        lines += ["", missing.format(count=count, items=items)]
    for note in result.notes:
        lines += ["", _("Note: {note}").format(note=note)]
    return "\n".join(lines) + "\n"
