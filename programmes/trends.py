"""A cluster's yearly indicators over its rounds, and the trends that turn the wrong way.

The score says where a cluster stands; a manager also needs to see whether the money and
the members move the way the method asks (002 s6.2.1: members take on a growing part of
the costs, public money gives way to private). Four indicators are read from each
submitted round's answers, all of which should not fall:

- private share: the funding mix's private sources, in % of income (`funding_mix`, the
  sources not marked public in the questionnaire);
- members: the profile's `members_total`;
- fee income: the `membership_fees` share of the funding mix times the profile's
  `annual_budget` (thousands of the cluster's currency, as the planners read it);
- income per staff member: `annual_budget` over the profile's `staff_fte`.

A fall between the last two rounds that give an indicator is flagged. A round that lacks
an indicator is skipped for that indicator only. Money is compared only in one currency:
when the profile's `currency` changed between the two rounds, no trend is drawn for it.
The functions over answer dicts are pure; `cluster_trends` reads them from the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from assessment.questionnaire import Questionnaire
from programmes.portfolio import public_sources
from storage import AssessmentInfo

PRIVATE_SHARE: Final = "private_share"
MEMBERS: Final = "members"
FEE_INCOME: Final = "fee_income"
INCOME_PER_STAFF: Final = "income_per_staff"
INDICATORS: Final = (PRIVATE_SHARE, MEMBERS, FEE_INCOME, INCOME_PER_STAFF)
# Indicators in money: comparable between two rounds only in the same currency.
MONEY: Final = frozenset({FEE_INCOME, INCOME_PER_STAFF})

MEMBERS_FIELD: Final = "members_total"
BUDGET_FIELD: Final = "annual_budget"
STAFF_FIELD: Final = "staff_fte"
CURRENCY_FIELD: Final = "currency"
FEES_SOURCE: Final = "membership_fees"
# A change smaller than this is float noise (a quotient computed twice), not a fall.
_TOLERANCE: Final = 1e-9


@dataclass(frozen=True, slots=True)
class Point:
    """An indicator's value in one round (its year), with the currency money was given in."""

    year: int
    value: float
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class Trend:
    """One indicator over the rounds that give it, oldest first.

    `change` is the last value minus the one before (None with fewer than two points, or
    when money changed currency between them: `currency_changed`); `wrong_way` is True when
    it fell.
    """

    indicator: str
    points: tuple[Point, ...]
    change: float | None
    wrong_way: bool
    currency_changed: bool = False


@dataclass(frozen=True, slots=True)
class Trends:
    """A cluster's indicators over its submitted rounds (`rounds`: how many years they cover)."""

    rounds: int
    indicators: tuple[Trend, ...]

    @property
    def has_trend(self) -> bool:
        """Whether there are two rounds to compare (one round shows no trend)."""
        return self.rounds >= 2

    @property
    def wrong_way(self) -> tuple[Trend, ...]:
        """The indicators that fell between their last two rounds."""
        return tuple(t for t in self.indicators if t.wrong_way)


class RoundReader(Protocol):
    """What `cluster_trends` reads: a `Store` or the signed-in user's `UserStore`."""

    def assessments(self, cluster_id: int) -> list[AssessmentInfo]:
        """The cluster's versions, oldest first."""
        ...

    def answer_data(self, assessment_id: int) -> dict[str, Any]:
        """One version's answers-file dict."""
        ...


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _currency(profile: Mapping[str, Any]) -> str | None:
    value = profile.get(CURRENCY_FIELD)
    return (value.strip().upper() or None) if isinstance(value, str) else None


def indicators(data: Mapping[str, Any], public: frozenset[str]) -> dict[str, float | None]:
    """The four indicators of one round's answers-file dict (None where the answers do not give one).

    `public` are the funding mix's public source ids (`programmes.portfolio.public_sources`).
    """
    profile = data.get("profile") or {}
    answers = data.get("answers") or {}
    mix = answers.get("funding_mix")
    shares = {k: _number(v) for k, v in mix.items()} if isinstance(mix, Mapping) else {}
    total = sum(v for v in shares.values() if v is not None)
    private = sum(v for k, v in shares.items() if v is not None and k not in public)
    budget = _number(profile.get(BUDGET_FIELD))
    staff = _number(profile.get(STAFF_FIELD))
    fees = shares.get(FEES_SOURCE) if shares else None
    if fees is None and shares and total > 0:
        fees = 0.0  # a mix without the fee source: no fee income
    return {
        PRIVATE_SHARE: round(private, 1) if total > 0 else None,
        MEMBERS: _number(profile.get(MEMBERS_FIELD)),
        FEE_INCOME: budget * fees / 100 if budget is not None and fees is not None and total > 0 else None,
        INCOME_PER_STAFF: budget / staff if budget is not None and staff else None,
    }


def _by_year(rounds: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """One round per year, the last given for a year (a corrected resubmission), oldest year first."""
    kept: dict[int, Mapping[str, Any]] = {}
    for data in rounds:
        year = data.get("year")
        if isinstance(year, int) and not isinstance(year, bool):
            kept[year] = data
    return [kept[y] for y in sorted(kept)]


def _trend(indicator: str, points: tuple[Point, ...]) -> Trend:
    if len(points) < 2:
        return Trend(indicator, points, None, False)
    before, last = points[-2], points[-1]
    if indicator in MONEY and before.currency != last.currency:
        return Trend(indicator, points, None, False, currency_changed=True)
    change = last.value - before.value
    return Trend(indicator, points, change, change < -_TOLERANCE)


def trends(rounds: Sequence[Mapping[str, Any]], public: frozenset[str]) -> Trends:
    """The indicators over `rounds` (answers-file dicts of the submitted rounds, any order).

    Several rounds of one year count once: the last one given for it (pass them in the
    order they were submitted).
    """
    yearly = _by_year(rounds)
    series: dict[str, list[Point]] = {name: [] for name in INDICATORS}
    for data in yearly:
        currency = _currency(data.get("profile") or {})
        for name, value in indicators(data, public).items():
            if value is not None:
                series[name].append(Point(int(data["year"]), value, currency if name in MONEY else None))
    return Trends(len(yearly), tuple(_trend(name, tuple(series[name])) for name in INDICATORS))


def cluster_trends(store: RoundReader, questionnaire: Questionnaire, cluster_id: int) -> Trends:
    """The trends of a cluster's submitted assessments, read from the store (drafts are left out).

    Raises:
        NotFound: when there is no such cluster.
        Forbidden: when `store` is a user's view that may not read the cluster.
    """
    submitted = [a for a in store.assessments(cluster_id) if a.status == "submitted"]
    submitted.sort(key=lambda a: a.number)
    return trends([store.answer_data(a.id) for a in submitted], public_sources(questionnaire)[1])
