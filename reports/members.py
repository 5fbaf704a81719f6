"""What the members' survey says, in words: one block for the results page and both reports.

The three say the same thing, so the words are made once here from the result's
`MembersReading` (scoring.members): how many firms answered and how satisfied they are,
what their figures stood in for, and each place where their view and the managing body's
part. Below the survey's minimum only the count is said, with the reason it is not used.
The texts are final (translated, numbers through Babel) and unescaped: the page escapes
them as Markdown, the template by autoescaping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessment.i18n import format_number, gettext_for, ngettext_for
from assessment.text import Language
from scoring.result import MembersReading

# The survey's satisfaction scale runs from 1 to this (survey.yaml has five levels).
SATISFACTION_TOP = 5


@dataclass(frozen=True, slots=True)
class MembersView:
    """The members' block: heading, summary lines, and the two lists under their headings."""

    heading: str
    summary: Sequence[str]
    replaced_heading: str
    replaced: Sequence[str]
    disagreements_heading: str
    disagreements: Sequence[str]
    used: bool


def members_view(
    reading: MembersReading | None, lang: Language, top: int = SATISFACTION_TOP
) -> MembersView | None:
    """The block for `reading` in `lang` (None when nobody answered a survey of this assessment)."""
    if reading is None:
        return None
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    count = format_number(reading.responses, lang, 0)
    minimum = format_number(reading.min_responses, lang, 0)
    summary: list[str] = []
    if reading.used:
        summary.append(
            ngettext(
                "{count} member firm answered the members' survey; the scores use their answers.",
                "{count} member firms answered the members' survey; the scores use their answers.",
                reading.responses,
            ).format(count=count)
        )
    else:
        summary.append(
            ngettext(
                "{count} of {minimum} response: not used yet.",
                "{count} of {minimum} responses: not used yet.",
                reading.min_responses,
            ).format(count=count, minimum=minimum)
        )
        summary.append(
            _(
                "The scores use the members' answers from {minimum} responses on, so that no single "
                "firm's view decides a score."
            ).format(minimum=minimum)
        )
    if reading.satisfaction is not None:
        summary.append(
            _(
                "Mean satisfaction with the cluster: {mean} on a scale of 1 to {top} ({answers} answers)."
            ).format(
                mean=format_number(reading.satisfaction, lang, 1),
                top=format_number(top, lang, 0),
                answers=format_number(reading.satisfaction_of, lang, 0),
            )
        )
    return MembersView(
        heading=_("What members say"),
        summary=summary,
        replaced_heading=_("The members' figures stood in for:"),
        replaced=list(reading.replaced),
        disagreements_heading=_("Where the members and the managing body differ:"),
        disagreements=list(reading.disagreements),
        used=reading.used,
    )


def members_lines(reading: MembersReading | None, lang: Language) -> list[str]:
    """The block as lines of the text report (none when nobody answered)."""
    view = members_view(reading, lang)
    if view is None:
        return []
    lines = [view.heading + ":"] + [f"  {s}" for s in view.summary]
    for heading, items in (
        (view.replaced_heading, view.replaced),
        (view.disagreements_heading, view.disagreements),
    ):
        if items:
            lines.append(f"  {heading}")
            lines += [f"   - {item}" for item in items]
    return lines
