"""A blank, commented answers file that a manager can fill in with any text editor.

The comments are in the language asked for; the keys (question and field ids, yes/no,
null) and the numbers stay as the answers loader reads them in every language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from assessment.i18n import gettext_for
from assessment.questionnaire import Questionnaire
from assessment.questions import QuestionBase
from assessment.text import Language


def _hint(question: QuestionBase, lang: Language, _: Callable[[str], str]) -> Iterator[str]:
    kind = question.type  # type: ignore[attr-defined]
    if kind == "maturity":
        for level in question.levels:  # type: ignore[attr-defined]
            yield f"{level.value} = {level.label.get(lang)}: {level.description.get(lang)}"
    elif kind in ("single_choice", "multiple_choice"):
        yield (
            _("Answer with a list of these ids:")
            if kind == "multiple_choice"
            else _("Answer with one of these ids:")
        )
        for choice in question.choices:  # type: ignore[attr-defined]
            yield f"{choice.id} = {choice.label.get(lang)}"
    elif kind == "yes_no":
        yield _("Answer yes or no.")
    elif kind == "number":
        # Bounds as the file is written (12.5, no grouping), in every language.
        low, high = f"{question.min:g}", f"{question.max:g}"  # type: ignore[attr-defined]
        unit = question.unit.get(lang)  # type: ignore[attr-defined]
        yield _("A number from {min} to {max} {unit}").format(min=low, max=high, unit=unit).rstrip() + "."
    elif kind == "percentage":
        yield _("A percentage from 0 to 100.")
    elif kind == "funding_mix":
        yield _("Shares (%) of last year's income by source, adding up to 100:")
        for source in question.sources:  # type: ignore[attr-defined]
            yield f"{source.id} = {source.label.get(lang)}"
    elif kind == "service_portfolio":
        yield _("For each service offered: {offered: yes, charged: yes/no, uptake: % of members using it}.")
        yield _("Services not listed count as not offered. Add a service of your own with any")
        yield _("new id and a name, e.g. export_club: {name: Export club, charged: yes}.")
        yield _("Table 6 service ids:")
    elif kind == "text":
        yield _("Free text, not scored.")


def answers_template(questionnaire: Questionnaire, year: int, lang: Language = "en") -> str:
    """The template text: every profile field and question, unanswered, with its help in `lang`."""
    _ = gettext_for(lang)
    lines = [
        _("# Answers to {title} ({ref}).").format(title=questionnaire.title.get(lang), ref=questionnaire.ref),
        _("# Fill in what you know; leave the rest empty (null). Unanswered questions lower"),
        _("# the completeness of the result and are never scored as zero."),
    ]
    if lang != "en":  # the file is YAML: numbers keep the decimal point whatever the language
        lines.append(_("# Write numbers with a decimal point and no thousands separator, e.g. 1234.5."))
    lines += [
        f"questionnaire: {questionnaire.id}",
        f'version: "{questionnaire.version}"',
        f"year: {year}  # " + _("the year the answers describe (last year's accounts)"),
        "profile:",
    ]
    required = " " + _("[required]")
    for field in questionnaire.profile:
        unit = f" ({field.unit.get(lang)})" if field.unit else ""
        ids = ", ".join(c.id for c in field.choices or ())
        choices = " " + _("one of: {ids}").format(ids=ids) if field.choices else ""
        lines.append(f"  # {field.label.get(lang)}{unit}{required if field.required else ''}{choices}")
        lines.append(f"  {field.id}: null")
    lines.append("answers:")
    for dim in questionnaire.dimensions:
        lines += ["", f"  # ==== {dim.title.get(lang)} ({dim.source}) ===="]
        for question in dim.questions:
            lines.append(f"  # {question.text.get(lang)}")
            if question.show_if is not None:
                only = _("(only asked when {condition})").format(condition=question.show_if.describe(lang))
                lines.append(f"  # {only}")
            lines.extend(f"  #   {line}" for line in _hint(question, lang, _))
            if question.type == "service_portfolio":
                lines.extend(f"  #   {s.id} = {s.name.get(lang)}" for s in questionnaire.services)
            lines.append(f"  {question.id}: null")
    return "\n".join(lines) + "\n"
