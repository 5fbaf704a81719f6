"""Fast paths of answer validation: the common valid answers accepted without a message.

Each validator here accepts exactly what its detailed counterpart in
`assessment.answer_values` accepts unchanged, normalised the same way, and hands
anything else to it; only the detailed one builds messages. A re-score validates every
answer of a programme again, so these run a few million times.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

from assessment.answer_values import FUNDING_SUM_TOLERANCE, ServiceUse, profile_value
from assessment.questionnaire import ProfileField
from assessment.questions import QuestionBase


def fast_answer(question: QuestionBase, slow: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A validator that accepts the common valid answers at once and leaves the rest to `slow`.

    Only the slow path builds messages; the fast path must accept exactly what the slow
    one accepts unchanged, normalised the same way.
    """
    kind = question.type  # type: ignore[attr-defined]
    if kind == "maturity":
        return lambda v: v if type(v) is int and 0 <= v <= 4 else slow(v)
    if kind == "single_choice":
        ids = frozenset(c.id for c in question.choices)  # type: ignore[attr-defined]
        return lambda v: v if type(v) is str and v in ids else slow(v)
    if kind == "yes_no":
        return lambda v: v if v is True or v is False else slow(v)
    if kind in ("number", "percentage"):
        low, high = (question.min, question.max) if kind == "number" else (0.0, 100.0)  # type: ignore[attr-defined]
        whole = kind == "number" and question.integer  # type: ignore[attr-defined]

        def number(v: Any) -> Any:
            t = type(v)
            if (t is int or (t is float and not whole)) and low <= v <= high:
                return float(v)
            return slow(v)

        return number
    if kind == "text":
        limit = question.max_length  # type: ignore[attr-defined]
        return lambda v: v if type(v) is str and len(v) <= limit else slow(v)
    if kind == "multiple_choice":
        plain = frozenset(c.id for c in question.choices if not c.exclusive)  # type: ignore[attr-defined]

        def choices(v: Any) -> Any:
            # Sets compare in C: every choice known and not exclusive, none listed twice.
            # (What is not a plain list of known strings goes to `slow`, which normalises
            # whatever it accepts to the same tuple.)
            if type(v) is list:
                try:
                    chosen = frozenset(v)
                except TypeError:
                    return slow(v)
                if chosen <= plain and len(chosen) == len(v):
                    return tuple(v)
            return slow(v)

        return choices
    if kind == "funding_mix":
        source_ids = tuple(src.id for src in question.sources)  # type: ignore[attr-defined]
        known = frozenset(source_ids)

        def funding(v: Any) -> Any:
            if type(v) is dict and v and v.keys() <= known:
                total = 0.0
                for x in v.values():
                    t = type(x)
                    if not ((t is int or t is float) and 0 <= x <= 100):
                        return slow(v)
                    total += x
                if abs(total - 100) <= FUNDING_SUM_TOLERANCE:
                    return {src: float(v.get(src, 0.0)) for src in source_ids}
            return slow(v)

        return funding
    return slow


def fast_profile(field_: ProfileField) -> Callable[[Any], Any]:
    """Like `fast_answer`, for a profile field."""
    slow = partial(profile_value, field_)
    if field_.type == "text":
        return lambda v: v if type(v) is str else slow(v)
    if field_.type == "choice":
        ids = frozenset(c.id for c in field_.choices or [])
        return lambda v: v if type(v) is str and v in ids else slow(v)
    low = field_.min if field_.min is not None else (0.0 if field_.type == "percentage" else -math.inf)
    high = field_.max if field_.max is not None else (100.0 if field_.type == "percentage" else math.inf)
    if field_.type in ("integer", "year"):
        return lambda v: v if type(v) is int and low <= v <= high else slow(v)

    def number(v: Any) -> Any:
        t = type(v)
        return float(v) if (t is int or t is float) and low <= v <= high else slow(v)

    return number


_ENTRY_KEYS = frozenset({"offered", "charged", "uptake", "name"})
# A named tuple built from all its fields without its Python-level __new__ (a third of the
# cost of a portfolio answer); the fields are given in order, so the tuple is the same.
_new_tuple = tuple.__new__


def fast_portfolio(slow: Callable[[Any], Any], catalogue: set[str]) -> Callable[[Any], Any]:
    """Like `fast_answer`, for a service portfolio: plain entries pass at once."""

    def portfolio(v: Any) -> Any:
        if type(v) is not dict:
            return slow(v)
        uses = []
        for service, entry in v.items():
            if type(service) is not str or type(entry) is not dict or not entry.keys() <= _ENTRY_KEYS:
                return slow(v)
            offered, charged = entry.get("offered", True), entry.get("charged", False)
            if (offered is not True and offered is not False) or (
                charged is not True and charged is not False
            ):
                return slow(v)
            if charged and not offered:
                return slow(v)
            uptake = entry.get("uptake")
            if uptake is not None:
                t = type(uptake)
                if not ((t is int or t is float) and 0 <= uptake <= 100):
                    return slow(v)
                uptake = float(uptake)
            name = None
            if service not in catalogue:
                name = entry.get("name")
                if type(name) is not str or not name.strip():
                    return slow(v)
            uses.append(_new_tuple(ServiceUse, (service, offered, charged, uptake, name)))
        return tuple(uses)

    return portfolio
