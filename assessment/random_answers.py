"""Random valid answer sets for any questionnaire: for benchmarks, property tests and demos.

Values are drawn from what each question accepts, so every generated set passes
validation; `answered` sets the share of questions given an answer.
"""

from __future__ import annotations

import random
from typing import Any

from assessment.questionnaire import Questionnaire
from assessment.questions import QuestionBase


def _value(questionnaire: Questionnaire, question: QuestionBase, rng: random.Random) -> Any:
    kind = question.type  # type: ignore[attr-defined]
    if kind == "maturity":
        return rng.randint(0, 4)
    if kind == "single_choice":
        return rng.choice(question.choices).id  # type: ignore[attr-defined]
    if kind == "multiple_choice":
        plain = [c.id for c in question.choices if not c.exclusive]  # type: ignore[attr-defined]
        return rng.sample(plain, rng.randint(0, len(plain)))
    if kind == "yes_no":
        return rng.random() < 0.5
    if kind == "number":
        low, high = question.min, min(question.max, question.min + 1000)  # type: ignore[attr-defined]
        return rng.randint(int(low), int(high)) if question.integer else round(rng.uniform(low, high), 2)  # type: ignore[attr-defined]
    if kind == "percentage":
        return round(rng.uniform(0, 100), 1)
    if kind == "funding_mix":
        return _funding(question, rng)
    if kind == "service_portfolio":
        portfolio: dict[str, Any] = {}
        for service in questionnaire.services:
            if rng.random() < 0.5:
                charged = rng.random() < 0.5
                portfolio[service.id] = {"offered": True, "charged": charged, "uptake": rng.randint(0, 100)}
        if rng.random() < 0.2:
            portfolio["own_service"] = {"name": "A service of our own", "charged": rng.random() < 0.5}
        return portfolio
    return "Free text answer."


def _funding(question: Any, rng: random.Random) -> dict[str, float]:
    weights = [rng.random() ** 2 for _ in question.sources]
    total = sum(weights) or 1.0
    shares = [round(100 * w / total, 1) for w in weights]
    largest = shares.index(max(shares))
    shares[largest] = round(shares[largest] + 100 - sum(shares), 1)
    return {s.id: share for s, share in zip(question.sources, shares, strict=True)}


def random_profile(questionnaire: Questionnaire, year: int, rng: random.Random) -> dict[str, Any]:
    """A plausible profile: every field filled, founded up to 20 years before `year`."""
    profile: dict[str, Any] = {}
    for field in questionnaire.profile:
        if field.id == questionnaire.stage_rule.override_field:
            continue
        if field.type == "text":
            profile[field.id] = f"{field.id.replace('_', ' ').title()} {rng.randint(1, 999)}"
        elif field.type == "choice":
            profile[field.id] = rng.choice(field.choices or []).id
        elif field.type == "year":
            profile[field.id] = year - rng.randint(0, 20)
        elif field.type == "percentage":
            profile[field.id] = round(rng.uniform(0, 100), 1)
        else:
            low = field.min or 0
            high = field.max if field.max is not None else low + 10000
            profile[field.id] = rng.randint(int(low), int(min(high, low + 10000)))
    return profile


def random_answers(
    questionnaire: Questionnaire, rng: random.Random, answered: float = 1.0, year: int = 2025
) -> dict[str, Any]:
    """A random answer set in the answers-file format (plain data, not yet validated)."""
    answers = {
        qid: _value(questionnaire, question, rng)
        for qid, question in questionnaire.questions.items()
        if rng.random() < answered
    }
    return {
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "year": year,
        "profile": random_profile(questionnaire, year, rng),
        "answers": answers,
    }
