"""Shared building blocks of the planning layer: frozen models and pydantic errors as problems.

Problems are worded in the caller's language (`lang`, English by default): the planning
layer is pure and keeps no session, so whoever shows the problems names the language.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from assessment.answers import Pct, render
from assessment.errors import Problem
from assessment.i18n import N_

#: The six funding sources of the questionnaire's funding_mix question
#: (questionnaires/cluster-sustainability/dimensions/funding_mix.yaml), in its order.
#: tests/test_planning.py checks that they match the questionnaire.
SOURCES: tuple[str, ...] = (
    "public_baseline",
    "public_projects",
    "membership_fees",
    "paid_services",
    "private_projects",
    "other_private",
)
#: Sources paid by public bodies (`public: true` in funding_mix.yaml).
PUBLIC_SOURCES: frozenset[str] = frozenset({"public_baseline", "public_projects"})
#: Stable private sources (`stable: true` in funding_mix.yaml): what can carry a structure.
STABLE_SOURCES: frozenset[str] = frozenset({"membership_fees", "paid_services"})

#: Messages of pydantic's error types, as English msgids filled from the error's context.
_MESSAGES = {
    "greater_than_equal": N_("must be at least {ge}, got {got}"),
    "greater_than": N_("must be more than {gt}, got {got}"),
    "less_than_equal": N_("must be at most {le}, got {got}"),
    "less_than": N_("must be less than {lt}, got {got}"),
    "missing": N_("missing"),
    "extra_forbidden": N_("unknown field"),
    "float_parsing": N_("expected a number, got {got}"),
    "float_type": N_("expected a number, got {got}"),
    "finite_number": N_("expected a finite number, got {got}"),
    "int_parsing": N_("expected a whole number, got {got}"),
    "int_type": N_("expected a whole number, got {got}"),
    "int_from_float": N_("expected a whole number, got {got}"),
    "string_too_short": N_("must have at least {min_length} characters"),
    "string_too_long": N_("must have at most {max_length} characters"),
    "literal_error": N_("expected one of {expected}, got {got}"),
    "union_tag_not_found": N_("missing; say which kind of schedule this is (keep, taper, end or grant)"),
    "union_tag_invalid": N_("unknown kind {tag}; expected one of {expected_tags}"),
    "unknown_source": N_("unknown funding source {got}; sources are {sources}"),
    # The planning models' own checks (PydanticCustomError types):
    "funding_sum": N_("funding shares add up to {total}, not {hundred}"),
    "no_cost_base": N_("give the structure's share of the budget (%) or its cost (thousands)"),
    "two_cost_bases": N_("give the structure's share of the budget or its cost, not both"),
    "project_fte_above_staff": N_(
        "the staff working on projects ({project_fte} FTE) exceed the cluster organisation's staff "
        "({staff_fte} FTE)"
    ),
    "ends_before_start": N_("ends in {end}, before the plan starts in {start}"),
}
#: Context values that are shares (0-100), shown as percentages.
_PERCENT_CONTEXT = frozenset({"total", "hundred"})
_TAGS = frozenset({"keep", "taper", "end", "grant"})


def _shown(value: Any) -> Any:
    """A value given by the user as the message shows it: a number as a number, anything else as its repr."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return repr(value)


def message(kind: str, lang: str = "en", **params: Any) -> str:
    """The message of an error type (a key of `_MESSAGES`) in `lang`, numbers in its conventions."""
    params = {k: Pct(v) if k in _PERCENT_CONTEXT else v for k, v in params.items()}
    return render(_MESSAGES[kind], params, lang)


class Model(BaseModel):
    """Unknown keys are errors and a model never changes once built."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def problems_from(exc: ValidationError, prefix: str = "", lang: str = "en") -> list[Problem]:
    """One `Problem` per pydantic error, its location a dotted field path under `prefix`, worded in `lang`.

    Error types without a message here keep pydantic's own (English) wording.
    """
    problems = []
    for err in exc.errors(include_url=False):
        parts = [
            str(p)
            for p in err["loc"]
            if not (isinstance(p, str) and (p in _TAGS or p.startswith("function-") or p == "[key]"))
        ]
        kind, ctx = err["type"], dict(err.get("ctx") or {})
        if kind == "literal_error" and err["loc"][-1] == "[key]":
            kind, ctx = "unknown_source", {"sources": ", ".join(SOURCES)}
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            parts.append("kind")
            if kind == "union_tag_invalid":
                ctx["tag"] = repr(ctx["tag"])
        elif kind == "ends_before_start":
            # A check across fields, raised by the whole model: one problem per end year.
            for location, end, start in ctx["problems"]:
                where = ".".join(p for p in (prefix, location) if p)
                problems.append(Problem(where, message(kind, lang, end=end, start=start)))
            continue
        location = ".".join(p for p in (prefix, *parts) if p)
        if kind in _MESSAGES:
            text = message(kind, lang, got=_shown(err.get("input")), **ctx)
        else:
            text = err["msg"].removeprefix("Value error, ")
        problems.append(Problem(location, text))
    return problems
