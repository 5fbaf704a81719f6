"""How the pages' forms map to answers, kept free of Streamlit so it can be tested.

Answers in the plain form the store and answers files hold, and the service-portfolio
table the questionnaire edits. The rules of the method (visibility, progress, the funding
mix, comparisons) live in scoring/; this module only translates between widgets and
answers, in the language it is given (`lang`, English by default).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assessment.answers import ValidAnswers
from assessment.i18n import N_, gettext_for
from assessment.questionnaire import Questionnaire
from assessment.ratings import rating_words
from assessment.text import Language

SUBMIT_SECTION = "submit"


def plain_answer(question_id: str, normalised: Any) -> Any:
    """A checked answer in the plain form of an answers file (lists and mappings, no tuples)."""
    data = ValidAnswers("", "", 0, {}, {question_id: normalised}).to_data()
    return data["answers"][question_id]


# --- service portfolio ------------------------------------------------------------------------

PORTFOLIO_COLUMNS = ("service", "extension", "financial_contribution", "member_valuation")
EDITABLE_COLUMNS = ("offered", "charged", "uptake")
OWN_SERVICE = N_("(own service)")


def portfolio_rows(
    questionnaire: Questionnaire, answer: Mapping[str, Any] | None, lang: Language = "en"
) -> list[dict[str, Any]]:
    """One row per Table 6 service, then the cluster's own services, with what was answered.

    Table 6's names and ratings are in `lang`; a service of the cluster's own keeps the name
    the manager typed.
    """
    answer = dict(answer or {})
    own = gettext_for(lang)(OWN_SERVICE)
    rows = []
    for service in questionnaire.services:
        entry = answer.pop(service.id, None) or {}
        offered = bool(entry.get("offered", True)) if entry else False
        rows.append(
            {
                "id": service.id,
                "service": service.name.get(lang),
                "extension": rating_words(service.extension, lang),
                "financial_contribution": rating_words(service.financial_contribution, lang),
                "member_valuation": rating_words(service.member_valuation, lang),
                "offered": offered,
                "charged": bool(entry.get("charged", False)),
                "uptake": entry.get("uptake"),
            }
        )
    for service_id, entry in sorted(answer.items()):  # own services in a stable order
        entry = entry or {}
        rows.append(
            {
                "id": service_id,
                "service": str(entry.get("name") or service_id),
                "extension": own,
                "financial_contribution": own,
                "member_valuation": own,
                "offered": bool(entry.get("offered", True)),
                "charged": bool(entry.get("charged", False)),
                "uptake": entry.get("uptake"),
            }
        )
    return rows


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # NaN from a table


def rows_to_answer(questionnaire: Questionnaire, rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The portfolio answer from table rows: offered Table 6 services, and every own service.

    A Table 6 service that is not offered is left out (the answers file's convention); a
    service of the cluster's own is kept with its name even when not offered, so that it
    is not lost. An uptake typed for a service not offered is ignored.
    """
    catalogue = questionnaire.service_index
    out: dict[str, Any] = {}
    for row in rows:
        service_id = row["id"]
        offered = bool(row.get("offered"))
        charged = bool(row.get("charged"))
        own = service_id not in catalogue
        if not offered and not charged and not own:
            continue
        entry: dict[str, Any] = {}
        if own:
            entry["name"] = row.get("service")
        entry["offered"] = offered
        entry["charged"] = charged
        uptake = row.get("uptake")
        if offered and not _is_blank(uptake):
            entry["uptake"] = float(uptake)
        out[service_id] = entry
    return out


def apply_editor_state(rows: Sequence[Mapping[str, Any]], state: Mapping[str, Any] | None) -> list[dict]:
    """Rows after the edits `st.data_editor` keeps in session state (edited cells only here)."""
    out = [dict(r) for r in rows]
    for index, changes in ((state or {}).get("edited_rows") or {}).items():
        i = int(index)
        if 0 <= i < len(out):
            out[i].update(changes)
    return out


def own_service_id(name: str, taken: Iterable[str]) -> str:
    """An id for a service the cluster adds, from its name, unique among `taken`."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "service"
    base = f"own_{base}"
    taken = set(taken)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate
