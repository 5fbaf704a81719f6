"""The portfolio and its findings as CSV and Excel, and an anonymised benchmark to share.

CSV is UTF-8 with a header row; Excel files are written with openpyxl through pandas,
one sheet per table. Tuples (the red-flag lessons) become "; "-joined text. `headed` and
`sheet_name` give the headers and sheet names in a language: in English the files keep the
column ids they always had (scripts read them); in Spanish and Portuguese every header is a
word of that language and each dimension is named by its title.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import select

from assessment.i18n import N_, gettext_for
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from programmes.portfolio import _connection
from storage import Store
from storage.models import Result

FINDING_COLUMNS = [
    "assessment_id", "cluster_id", "cluster", "year", "version", "kind", "severity", "lesson", "source",
    "dimension", "item", "title", "recommendation", "evidence",
]  # fmt: skip
BENCHMARK_FIXED = ["code", "country", "sector", "year", "stage", "overall"]
#: Each exported column's header in English words, translated by `headed`.
HEADERS = {
    "assessment_id": N_("Assessment id"),
    "cluster_id": N_("Cluster id"),
    "cluster": N_("Cluster"),
    "code": N_("Code"),
    "country": N_("Country"),
    "region": N_("Region"),
    "sector": N_("Sector"),
    "year": N_("Year"),
    "version": N_("Version"),
    "questionnaire": N_("Questionnaire"),
    "submitted_at": N_("Submitted"),
    "overall": N_("Overall index"),
    "stage": N_("Stage"),
    "completeness": N_("Completeness (%)"),
    "members": N_("Member organisations"),
    "budget": N_("Annual budget (thousands)"),
    "currency": N_("Currency"),
    "red_flags": N_("Red flags"),
    "red_flag_lessons": N_("Lessons of the red flags"),
    "public_share": N_("Public share (%)"),
    "verified_share": N_("Verified share of the index (%)"),
    "documented_share": N_("Documented share of the index (%)"),
    "status": N_("Review status"),
    "criteria_met": N_("Criteria met"),
    "criteria_failed": N_("Criteria failed"),
    "criteria_unknown": N_("Criteria that cannot be judged"),
    "kind": N_("Kind"),
    "severity": N_("Severity"),
    "lesson": N_("Lesson"),
    "source": N_("Source"),
    "dimension": N_("Dimension"),
    "item": N_("Question"),
    "title": N_("Title"),
    "recommendation": N_("Recommendation"),
    "evidence": N_("Evidence"),
}
#: Sheet names of the workbook in English words.
SHEETS = {"portfolio": N_("Portfolio"), "findings": N_("Findings"), "benchmark": N_("Benchmark")}
_CHUNK = 500


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (tuple, list))).any():
            out[col] = out[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (tuple, list)) else v)
        elif isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_convert("UTC").dt.tz_localize(None)  # Excel keeps no time zone
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV (UTF-8, header row, no index)."""
    return _flat(frame).to_csv(index=False).encode("utf-8")


def to_excel(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables as one Excel workbook (.xlsx), a sheet per table, named as the keys (at most 31 characters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _flat(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def headed(frame: pd.DataFrame, questionnaire: Questionnaire, lang: Language) -> pd.DataFrame:
    """The table with its headers in `lang` (in English, the column ids as they are; see the module).

    Raises:
        UnknownLanguageError: `lang` is not en, es or pt.
    """
    if lang == "en":
        return frame
    _ = gettext_for(lang)
    names = {key: _(header) for key, header in HEADERS.items()}
    names |= {d.id: d.title.get(lang) for d in questionnaire.dimensions}
    return frame.rename(columns={c: names[c] for c in frame.columns if c in names})


def sheet_name(key: str, lang: Language) -> str:
    """A workbook sheet's name in `lang` ("portfolio" in English, as it always was; "Cartera" in Spanish)."""
    return key if lang == "en" or key not in SHEETS else gettext_for(lang)(SHEETS[key])


def findings_frame(store: Store, portfolio: pd.DataFrame) -> pd.DataFrame:
    """Every finding (red flags, gaps, strengths) of the portfolio's assessments, most important first.

    One row per finding with the cluster, year and version, the lesson and source, the
    title, the recommendation and the evidence (the answers behind it, as "label: value").
    """
    info = portfolio.set_index("assessment_id")[["cluster_id", "cluster", "year", "version"]]
    ids = [int(i) for i in info.index]
    rows: list[dict[str, Any]] = []
    with _connection(store) as connection:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            stmt = select(Result.assessment_id, Result.result_json).where(Result.assessment_id.in_(chunk))
            for aid, text in connection.execute(stmt):
                meta = info.loc[aid]
                for f in json.loads(text).get("findings", []):
                    rows.append(
                        {
                            "assessment_id": aid,
                            "cluster_id": int(meta["cluster_id"]),
                            "cluster": meta["cluster"],
                            "year": int(meta["year"]),
                            "version": int(meta["version"]),
                            **{k: f.get(k) for k in FINDING_COLUMNS[5:-1]},
                            "evidence": "; ".join(
                                f"{e['label']}: {e['value']}" for e in f.get("evidence", [])
                            ),
                        }
                    )
    order = {"red_flag": 0, "gap": 1, "strength": 2}
    out = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    if out.empty:
        return out
    out["_order"] = out["kind"].map(order)
    return (
        out.sort_values(["cluster", "assessment_id", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def cluster_code(cluster_id: int, secret: str) -> str:
    """A stable opaque code for a cluster: the same id and secret always give the same code.

    An HMAC of the id with the programme's secret, so that nobody without the secret can
    tell which cluster a code stands for by trying ids.
    """
    digest = hmac.new(secret.encode("utf-8"), str(int(cluster_id)).encode(), hashlib.sha256).hexdigest()
    return f"C-{digest[:12].upper()}"


def anonymised_benchmark(portfolio: pd.DataFrame, questionnaire: Questionnaire, secret: str) -> pd.DataFrame:
    """The portfolio without names or regions, to share: code, country, sector, year, stage, scores.

    The cluster becomes `cluster_code(id, secret)`; rows are sorted by code so their order
    says nothing about names. Nothing else (ids, names, regions, findings, funding) is kept.

    Raises:
        ValueError: for an empty secret.
    """
    if not secret:
        raise ValueError("a secret is needed to make the cluster codes opaque")
    dims = [d.id for d in questionnaire.dimensions]
    out = pd.DataFrame(
        {
            "code": [cluster_code(c, secret) for c in portfolio["cluster_id"]],
            **{col: portfolio[col].to_numpy() for col in BENCHMARK_FIXED[1:]},
            **{dim: portfolio[dim].to_numpy() for dim in dims},
        },
        columns=[*BENCHMARK_FIXED, *dims],
    )
    return out.sort_values(["code", "year"], kind="stable").reset_index(drop=True)
