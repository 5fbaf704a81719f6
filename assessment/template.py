"""A blank, commented answers file that a manager can fill in with any text editor."""

from __future__ import annotations

from collections.abc import Iterator

from assessment.questionnaire import Questionnaire
from assessment.questions import QuestionBase


def _hint(question: QuestionBase) -> Iterator[str]:
    kind = question.type  # type: ignore[attr-defined]
    if kind == "maturity":
        for level in question.levels:  # type: ignore[attr-defined]
            yield f"{level.value} = {level.label.en}: {level.description.en}"
    elif kind in ("single_choice", "multiple_choice"):
        many = "a list of " if kind == "multiple_choice" else "one of "
        yield f"Answer with {many}these ids:"
        for choice in question.choices:  # type: ignore[attr-defined]
            yield f"{choice.id} = {choice.label.en}"
    elif kind == "yes_no":
        yield "Answer yes or no."
    elif kind == "number":
        unit = question.unit.en  # type: ignore[attr-defined]
        yield f"A number from {question.min:g} to {question.max:g} {unit}".rstrip() + "."  # type: ignore[attr-defined]
    elif kind == "percentage":
        yield "A percentage from 0 to 100."
    elif kind == "funding_mix":
        yield "Shares (%) of last year's income by source, adding up to 100:"
        for source in question.sources:  # type: ignore[attr-defined]
            yield f"{source.id} = {source.label.en}"
    elif kind == "service_portfolio":
        yield "For each service offered: {offered: yes, charged: yes/no, uptake: % of members using it}."
        yield "Services not listed count as not offered. Add a service of your own with any"
        yield "new id and a name, e.g. export_club: {name: Export club, charged: yes}."
        yield "Table 6 service ids:"
    elif kind == "text":
        yield "Free text, not scored."


def answers_template(questionnaire: Questionnaire, year: int) -> str:
    """The template text: every profile field and question, unanswered, with its help."""
    lines = [
        f"# Answers to {questionnaire.title.en} ({questionnaire.ref}).",
        "# Fill in what you know; leave the rest empty (null). Unanswered questions lower",
        "# the completeness of the result and are never scored as zero.",
        f"questionnaire: {questionnaire.id}",
        f'version: "{questionnaire.version}"',
        f"year: {year}  # the year the answers describe (last year's accounts)",
        "profile:",
    ]
    for field in questionnaire.profile:
        unit = f" ({field.unit.en})" if field.unit else ""
        choices = f" one of: {', '.join(c.id for c in field.choices)}" if field.choices else ""
        required = " [required]" if field.required else ""
        lines.append(f"  # {field.label.en}{unit}{required}{choices}")
        lines.append(f"  {field.id}: null")
    lines.append("answers:")
    for dim in questionnaire.dimensions:
        lines += ["", f"  # ==== {dim.title.en} ({dim.source}) ===="]
        for question in dim.questions:
            lines.append(f"  # {question.text.en}")
            if question.show_if is not None:
                lines.append(f"  # (only asked when {question.show_if.describe()})")
            lines.extend(f"  #   {line}" for line in _hint(question))
            if question.type == "service_portfolio":  # type: ignore[attr-defined]
                lines.extend(f"  #   {s.id} = {s.name.en}" for s in questionnaire.services)
            lines.append(f"  {question.id}: null")
    return "\n".join(lines) + "\n"
