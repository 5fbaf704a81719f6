"""The sentences an officer reads before any score: is the index final, what holds it down, what to do.

The app's results page, the HTML report and the text report all open with these, worded
once here so that the three never disagree on what a capped or provisional index means.
Pure: a result and a language in, sentences out.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.i18n import gettext_for
from assessment.text import Language
from scoring.describe import number
from scoring.result import Action, Result


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the action plan in words: what to fix, why, and what it would gain."""

    title: str
    recommendation: str
    gain: str  # "+4.1 points" in the reader's language
    together: str  # "Together with: ..." or ""
    source: str  # the source section the finding rests on


def dimension_titles(result: Result, ids: tuple[str, ...]) -> list[str]:
    """Titles of the result's dimensions with these ids, in the result's order."""
    wanted = set(ids)
    return [d.title for d in result.dimensions if d.id in wanted]


def provisional_note(result: Result, lang: Language = "en") -> str:
    """Why the index is not final yet and the range it could still take, or "" when it is final."""
    if not result.provisional or result.overall is None:
        return ""
    _ = gettext_for(lang)
    titles = ", ".join(dimension_titles(result, result.short_dimensions))
    if result.overall_range is None:
        return _("Provisional index: too few answers yet in {dimensions}.").format(dimensions=titles)
    low, high = result.overall_range
    return _(
        "Provisional index: too few answers yet in {dimensions}. Once they are answered "
        "the index could lie anywhere from {low} to {high}."
    ).format(dimensions=titles, low=number(low, lang), high=number(high, lang))


def held_down_note(result: Result, lang: Language = "en") -> str:
    """Which gate holds the index below what its answers average to, or ""."""
    caps = result.holding_down()
    if not caps or result.overall is None or result.uncapped_overall is None:
        return ""
    _ = gettext_for(lang)
    return _("The index is held at {overall} (its answers average {uncapped}) by: {caps}.").format(
        overall=number(result.overall, lang),
        uncapped=number(result.uncapped_overall, lang),
        caps="; ".join(dict.fromkeys(c.title for c in caps)),
    )


def steps(result: Result, lang: Language = "en") -> list[Step]:
    """The action plan in words, largest gain first (the engine's order)."""
    return [_step(result, action, lang) for action in result.actions]


def _step(result: Result, action: Action, lang: Language) -> Step:
    _ = gettext_for(lang)
    titles = {i.id: i.title for i in result.items if i.title}
    titles.update((f.item, f.title) for f in reversed(result.findings) if f.kind != "strength")
    named = [titles[i] for i in action.together if i in titles]
    together = _("Fix together with: {items}").format(items=", ".join(named)) if named else ""
    return Step(
        title=action.title,
        recommendation=action.recommendation,
        gain=_("+{gain} points").format(gain=number(action.gain, lang)),
        together=together,
        source=action.source,
    )
