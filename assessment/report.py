"""The result as a readable text report, for the command line and plain-text exports."""

from __future__ import annotations

from scoring.describe import number
from scoring.result import Finding, Result

_HEADINGS = (("red_flag", "Red flags"), ("gap", "Gaps"), ("strength", "Strengths"))
_BAR_WIDTH = 20


def _bar(score: float | None) -> str:
    if score is None:
        return "(no score yet)"
    filled = round(score / 100 * _BAR_WIDTH)
    return "#" * filled + "." * (_BAR_WIDTH - filled)


def _finding_lines(index: int, finding: Finding) -> list[str]:
    lines = [f"  {index}. [{finding.severity}] {finding.title}"]
    for ev in finding.evidence:
        lines.append(f"     Evidence: {ev.label} -> {ev.value}")
    lines.append(f"     Why: {finding.explanation}")
    lines.append(f"     Recommendation: {finding.recommendation}")
    lines.append(f"     Lesson {finding.lesson} ({finding.source})")
    return lines


def text_report(result: Result) -> str:
    """Scores, stage, red flags, gaps with recommendations, strengths and what is missing."""
    overall = "no score yet" if result.overall is None else f"{number(result.overall)} / 100"
    lines = [
        f"{result.cluster or '(unnamed cluster)'}: answers for {result.year}",
        f"Questionnaire {result.questionnaire}, scoring engine {result.engine_version}",
        "",
        f"Sustainability index: {overall}   (completeness {number(result.completeness)}%)",
        f"Stage: {result.stage.label}. {result.stage.explanation}",
        "",
        "Dimensions:",
    ]
    width = max(len(d.title) for d in result.dimensions)
    for d in result.dimensions:
        score = "  -  " if d.score is None else f"{d.score:5.1f}"
        lines.append(f"  {d.title:<{width}}  {score}  {_bar(d.score)}  {d.answered}/{d.asked} answered")
    for kind, heading in _HEADINGS:
        found = result.findings_of(kind)  # type: ignore[arg-type]
        lines += ["", f"{heading} ({len(found)}):"]
        if not found:
            lines.append("  none")
        for i, finding in enumerate(found, 1):
            lines += _finding_lines(i, finding)
    if result.unanswered:
        lines += ["", f"Not answered yet ({len(result.unanswered)}): {', '.join(result.unanswered)}"]
    for note in result.notes:
        lines += ["", f"Note: {note}"]
    return "\n".join(lines) + "\n"
