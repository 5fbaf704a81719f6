"""The two table-like inputs: the funding mix (one number per source, with its pie) and the service portfolio.

Each saves through webapp.saving like any other input, the funding mix once its shares add
up to 100 (a draft of the shares is kept until then).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from assessment.questionnaire import Questionnaire
from assessment.questions import (
    FundingMixQuestion,
    ServicePortfolioQuestion,
)
from assessment.text import Language
from reports import charts
from scoring.funding import funding_sums_to_100, funding_total, public_share
from webapp import state
from webapp.i18n import _, current_language, percent
from webapp.logic import apply_editor_state, own_service_id, portfolio_rows, rows_to_answer
from webapp.saving import answer_key, save_answer, show_error, source_key
from webapp.text import md

ROW_HEIGHT = 35  # px, the data editor's default row height


def _on_funding(assessment_id: int, question: FundingMixQuestion) -> None:
    shares = {s.id: st.session_state.get(source_key(question.id, s.id)) for s in question.sources}
    drafts = st.session_state.setdefault(state.FUNDING_DRAFT, {})
    if all(v is None for v in shares.values()):
        drafts.pop(question.id, None)
        save_answer(assessment_id, question.id, None)
        return
    if save_answer(assessment_id, question.id, {k: v or 0 for k, v in shares.items()}):
        drafts.pop(question.id, None)
    else:
        drafts[question.id] = shares  # kept until they add up to 100


def funding_editor(
    assessment_id: int,
    question: FundingMixQuestion,
    value: Mapping[str, float] | None,
    disabled: bool,
    label: str | None = None,
) -> None:
    """One number input per source, the live sum and a pie of the mix.

    Typed shares that do not add up to 100 are not saved; they stay in session state
    (and on screen) until they do.
    """
    lang = current_language()
    draft = st.session_state.get(state.FUNDING_DRAFT, {}).get(question.id)
    shown = draft if draft is not None else (value or {})
    st.markdown(label or md(question.text.get(lang)))
    columns = st.columns(2)
    for i, source in enumerate(question.sources):
        key = source_key(question.id, source.id)
        state.seed(key, shown.get(source.id))
        with columns[i % 2]:
            kind = (
                _("{source} (% of income, public)") if source.public else _("{source} (% of income, private)")
            )
            st.number_input(
                kind.format(source=source.label.get(lang)),
                value=None,
                step=1.0,
                format="%g",
                placeholder="0",
                key=key,
                help=source.help.get(lang) if source.help else None,
                on_change=_on_funding,
                args=(assessment_id, question),
                disabled=disabled,
            )
    typed = {s.id: st.session_state.get(source_key(question.id, s.id)) for s in question.sources}
    total = funding_total(typed)
    left = 100 - total
    error = state.errors().get(question.id)
    typed_any = any(v is not None for v in typed.values())
    sums = funding_sums_to_100(typed)
    if left > 0:
        what = _("{share} left to allocate").format(share=percent(left, 6))
    else:
        what = _("{share} too much").format(share=percent(-left, 6))
    if error:  # the refusal, with what to fix, next to the inputs
        if sums:
            st.error(_("Not saved: {reason}.").format(reason=md(error)), icon=":material/error:")
        else:
            st.error(
                _("Not saved: {reason} ({what}).").format(reason=md(error), what=what),
                icon=":material/error:",
            )
    elif typed_any and sums:
        share = public_share(question, typed)
        st.success(
            _("Sum {total}. Public share {share}.").format(total=percent(total, 6), share=percent(share, 6)),
            icon=":material/check_circle:",
        )
    elif typed_any:
        st.warning(
            _("Sum {total} ({what}); the shares must add up to 100%.").format(
                total=percent(total, 6), what=what
            ),
            icon=":material/functions:",
        )
    if draft is not None and value:
        mix = ", ".join(f"{s.label.get(lang)} {percent(value.get(s.id, 0), 6)}" for s in question.sources)
        st.caption(_("Last saved mix: {mix}").format(mix=mix))
    if total > 0:
        st.plotly_chart(
            _pie(question.id, tuple((k, v or 0) for k, v in typed.items()), lang),
            key=f"chart:{question.id}",
            config={"displayModeBar": False},
        )


@functools.lru_cache(maxsize=32)
def _pie(question_id: str, shares: tuple[tuple[str, float], ...], lang: Language) -> go.Figure:
    """The pie of a mix in `lang`, built once per mix and language: a figure costs more to build than draw."""
    question = state.questionnaire().questions[question_id]
    return charts.funding_pie(question, dict(shares), lang)  # type: ignore[arg-type]


def portfolio_config() -> dict[str, Any]:
    """The portfolio table's columns, headed and explained in the session's language."""
    return {
        "id": None,
        "service": st.column_config.TextColumn(_("Service"), disabled=True, width="medium"),
        "extension": st.column_config.TextColumn(
            _("How common"),
            disabled=True,
            width="small",
            help=_("Table 6: how widespread the service is among clusters"),
        ),
        "financial_contribution": st.column_config.TextColumn(
            _("Income"), disabled=True, help=_("Table 6: the income the service brings to the cluster")
        ),
        "member_valuation": st.column_config.TextColumn(
            _("Valuation"), disabled=True, help=_("Table 6: how members value the service")
        ),
        "offered": st.column_config.CheckboxColumn(_("Offered"), width="small", help=_("Offered last year")),
        "charged": st.column_config.CheckboxColumn(
            _("Charged"), width="small", help=_("Members paid for it")
        ),
        "uptake": st.column_config.NumberColumn(
            _("Uptake %"),
            min_value=0,
            max_value=100,
            step=1,
            width="small",
            help=_("Share of members that used it last year (%)"),
        ),
    }


def portfolio_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The portfolio's rows as the editor's table, uptake as float64 (blank where not typed).

    Built column by column with the uptake already numeric: `astype` on a finished frame
    cost four times as much, and the table is rebuilt at every rerun of its section.
    """
    if not rows:
        return pd.DataFrame(rows)
    columns: dict[str, Any] = {name: [row[name] for row in rows] for name in rows[0]}
    columns["uptake"] = [math.nan if row["uptake"] is None else float(row["uptake"]) for row in rows]
    return pd.DataFrame(columns)


def portfolio_editor(
    assessment_id: int,
    questionnaire: Questionnaire,
    question: ServicePortfolioQuestion,
    value: Mapping[str, Any] | None,
    disabled: bool,
    label: str | None = None,
) -> None:
    """Table 6's services with their ratings, the cluster's own services, and what it offers.

    The table's edits are saved from the script (the edited table is the widget's return
    value): when the table differs from the stored answer and the answer is valid.
    """
    lang = current_language()
    key = answer_key(question.id)
    st.markdown(label or md(question.text.get(lang)))
    st.caption(
        _(
            "How common, Income and Valuation are Table 6's ratings (002 s6.2.2, after ESCA 2017). "
            "Tick what the cluster offered and charged for, and type the share of members that used it."
        )
    )
    rows = portfolio_rows(questionnaire, value, lang)
    config = portfolio_config()
    frame = portfolio_frame(rows)
    edited = st.data_editor(
        frame,
        key=key,
        hide_index=True,
        num_rows="fixed",
        column_config=config,
        column_order=[c for c in config if c != "id"],
        disabled=disabled,
        width="stretch",
        height=ROW_HEIGHT * (len(rows) + 1) + 3,
    )
    edits = st.session_state.get(key) or {}
    if not disabled and edits.get("edited_rows"):
        new_rows = apply_editor_state(rows, edits)
        answer = rows_to_answer(questionnaire, new_rows)
        if answer != rows_to_answer(questionnaire, rows) and save_answer(
            assessment_id, question.id, answer or None
        ):
            st.rerun()  # redraw the page (progress, checks) with the saved portfolio
    del edited
    show_error(question.id)
    if not disabled:
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.text_input(
                _("Add a service of your own"),
                key=f"{key}:new",
                placeholder=_("e.g. Export club"),
                max_chars=120,
            )
            st.button(
                _("Add service"),
                key=f"{key}:add",
                on_click=_on_add_service,
                args=(assessment_id, question.id),
                icon=":material/add:",
            )


def _on_add_service(assessment_id: int, question_id: str) -> None:
    name_key = f"{answer_key(question_id)}:new"
    name = (st.session_state.get(name_key) or "").strip()
    if not name:
        state.errors()[question_id] = _("type the name of the service to add")
        return
    current = dict(state.store().answer_data(assessment_id)["answers"].get(question_id) or {})
    taken = set(current) | set(state.questionnaire().service_index)
    current[own_service_id(name, taken)] = {"name": name, "offered": True, "charged": False}
    if save_answer(assessment_id, question_id, current):
        st.session_state[name_key] = ""
        st.session_state.pop(answer_key(question_id), None)
