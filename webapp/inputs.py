"""The input of each question type, and the callbacks that save every answer as it is given.

Every widget has an explicit key: `q:<question id>` for answers (`q:<id>:<source>` for
each funding source), `p:<field id>` for the profile and `a:year` for the year. A
widget's stored value is put in its key the first time it is drawn; its on_change
callback checks the new value with the questionnaire's answer checker and saves it to
the store at once. A refused value is not saved (the stored one stays) and its message
is kept under the question's id, to be shown next to the field, in the session's language.
Labels, choices and help come from the questionnaire in that language (`Text.get`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from assessment.errors import AnswersError, AssessmentError
from assessment.i18n import N_, format_number, gettext_for
from assessment.questionnaire import ProfileField, Questionnaire
from assessment.questions import (
    FundingMixQuestion,
    MaturityQuestion,
    MultipleChoiceQuestion,
    NumberQuestion,
    PercentageQuestion,
    QuestionBase,
    ServicePortfolioQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)
from assessment.text import Language
from reports import charts
from scoring.funding import funding_sums_to_100, funding_total, public_share
from webapp import state
from webapp.i18n import _, current_language, percent
from webapp.logic import apply_editor_state, own_service_id, plain_answer, portfolio_rows, rows_to_answer
from webapp.text import md

YEAR_KEY = "a:year"
ROW_HEIGHT = 35  # px, the data editor's default row height
_YES_NO = {True: N_("Yes"), False: N_("No")}


def answer_key(question_id: str) -> str:
    """The widget key of a question's input."""
    return f"q:{question_id}"


def source_key(question_id: str, source_id: str) -> str:
    """The widget key of one source of a funding-mix question."""
    return f"q:{question_id}:{source_id}"


def profile_key(field_id: str) -> str:
    """The widget key of a profile field."""
    return f"p:{field_id}"


def _message(exc: AssessmentError) -> str:
    if isinstance(exc, AnswersError):
        return "; ".join(p.message for p in exc.problems)
    return str(exc)


def _saved(label: str) -> None:
    """Note what was saved last (already worded in the session's language) and when."""
    st.session_state[state.LAST_SAVED] = (label, dt.datetime.now().strftime("%H:%M:%S"))


# --- saving -------------------------------------------------------------------------------------


def save_answer(assessment_id: int, question_id: str, raw: Any) -> bool:
    """Check one answer and save it (None or empty deletes it); a refusal is kept as its error."""
    errors = state.errors()
    if raw == "" or raw == [] or (isinstance(raw, str) and not raw.strip()):
        raw = None
    try:
        value = (
            None
            if raw is None
            else plain_answer(question_id, state.checker().check_answer(question_id, raw, current_language()))
        )
        state.store().save_answer(assessment_id, question_id, value, state.ACTOR)
    except AssessmentError as exc:
        errors[question_id] = _message(exc)
        return False
    errors.pop(question_id, None)
    _saved(_("question {number}").format(number=state.numbers()[question_id]))
    return True


def _on_answer(assessment_id: int, question_id: str) -> None:
    save_answer(assessment_id, question_id, st.session_state.get(answer_key(question_id)))


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


def save_profile(assessment_id: int, field_id: str, raw: Any) -> bool:
    """Check one profile field against the questionnaire and save it; None or empty deletes it."""
    errors = state.errors()
    key = f"profile.{field_id}"
    if isinstance(raw, str) and not raw.strip():
        raw = None
    try:
        value = None
        if raw is not None:
            data = state.store().answer_data(assessment_id)
            probe = {**data, "profile": {field_id: raw}, "answers": {}}
            founded = state.questionnaire().stage_rule.founded_field
            if field_id != founded and founded in data["profile"]:
                probe["profile"][founded] = data["profile"][founded]
            value = state.checker().check(probe, current_language()).profile[field_id]
        state.store().save_profile(assessment_id, field_id, value, state.ACTOR)
    except AnswersError as exc:
        errors[key] = "; ".join(p.message for p in exc.problems if p.location == key) or _message(exc)
        return False
    except AssessmentError as exc:
        errors[key] = _message(exc)
        return False
    errors.pop(key, None)
    _saved(state.questionnaire().profile_fields[field_id].label.get(current_language()))
    return True


def _on_profile(assessment_id: int, field_id: str) -> None:
    save_profile(assessment_id, field_id, st.session_state.get(profile_key(field_id)))


def save_year(assessment_id: int, year: Any) -> bool:
    """Check the year the answers describe (also against the founding year) and save it."""
    errors = state.errors()
    try:
        if year is None:
            raise _Refused(_("give the year the answers describe (last year's accounts)"))
        data = state.store().answer_data(assessment_id)
        founded = state.questionnaire().stage_rule.founded_field
        probe = {**data, "year": year, "profile": {}, "answers": {}}
        if founded in data["profile"]:
            probe["profile"][founded] = data["profile"][founded]
        valid = state.checker().check(probe, current_language())
        state.store().set_year(assessment_id, valid.year, state.ACTOR)
    except _Refused as exc:
        errors["year"] = str(exc)
        return False
    except AnswersError as exc:
        errors["year"] = "; ".join(p.message for p in exc.problems)
        return False
    except AssessmentError as exc:
        errors["year"] = _message(exc)
        return False
    errors.pop("year", None)
    _saved(_("the year"))
    return True


class _Refused(Exception):
    pass


def _on_year(assessment_id: int) -> None:
    save_year(assessment_id, st.session_state.get(YEAR_KEY))


# --- drawing ------------------------------------------------------------------------------------


def show_error(field: str) -> None:
    """The message of a refused answer, right below its field."""
    message = state.errors().get(field)
    if message:
        st.error(_("Not saved: {reason}").format(reason=md(message)), icon=":material/error:")


def profile_input(assessment_id: int, field: ProfileField, value: Any, disabled: bool) -> None:
    """The input of one profile field, worded in the session's language."""
    lang = current_language()
    key = profile_key(field.id)
    state.seed(key, value)
    label = field.label.get(lang) + (" *" if field.required else "")
    unit = f" ({field.unit.get(lang)})" if field.unit else ""
    common: dict[str, Any] = {
        "key": key,
        "on_change": _on_profile,
        "args": (assessment_id, field.id),
        "disabled": disabled,
        "help": field.help.get(lang) if field.help else None,
    }
    if field.type == "text":
        st.text_input(label, max_chars=300, **common)
    elif field.type == "choice":
        choices = {c.id: c.label.get(lang) for c in field.choices or []}
        st.selectbox(
            label,
            list(choices),
            index=None,
            format_func=choices.__getitem__,
            placeholder=_("Not set"),
            **common,
        )
    elif field.type in ("integer", "year"):
        st.number_input(label + unit, value=None, step=1, format="%d", placeholder=_("Not set"), **common)
    else:
        st.number_input(label + unit, value=None, step=1.0, format="%g", placeholder=_("Not set"), **common)
    show_error(f"profile.{field.id}")


def year_input(assessment_id: int, year: int, disabled: bool) -> None:
    """The year the answers describe."""
    state.seed(YEAR_KEY, year)
    st.number_input(
        _("Year the answers describe") + " *",
        value=None,
        step=1,
        format="%d",
        key=YEAR_KEY,
        on_change=_on_year,
        args=(assessment_id,),
        disabled=disabled,
        help=_("Answer for the last closed financial year, from last year's accounts."),
    )
    show_error("year")


@dataclass(frozen=True)
class WidgetWords:
    """What a question's input shows besides its label, worded in one language.

    Worded once per language and question (`widget_words`), not at every rerun: an input is
    drawn for every question shown, at every rerun. A `format_func` may also be called after
    the run, when the session's language is out of reach; these words do not need it.
    """

    options: Mapping[Any, str] = field(default_factory=dict)
    captions: tuple[str, ...] | None = None
    placeholder: str | None = None
    help: str | None = None
    unit: str = ""


def words_for(question: QuestionBase, lang: Language) -> WidgetWords:
    """The options, captions, placeholder and help of `question`'s input, in `lang`."""
    _ = gettext_for(lang)
    if isinstance(question, MaturityQuestion):
        level_word = _("Level {level}: {label}")
        return WidgetWords(
            {lv.value: level_word.format(level=lv.value, label=lv.label.get(lang)) for lv in question.levels},
            tuple(lv.description.get(lang) for lv in question.levels),
        )
    if isinstance(question, SingleChoiceQuestion):
        return WidgetWords({c.id: c.label.get(lang) for c in question.choices})
    if isinstance(question, MultipleChoiceQuestion):
        exclusive = [c.label.get(lang) for c in question.choices if c.exclusive]
        return WidgetWords(
            {c.id: c.label.get(lang) for c in question.choices},
            placeholder=_("Choose all that apply"),
            help=_("'{choice}' excludes the other choices.").format(choice=exclusive[0])
            if exclusive
            else None,
        )
    if isinstance(question, YesNoQuestion):
        return WidgetWords({v: _(word) for v, word in _YES_NO.items()})
    if isinstance(question, NumberQuestion):
        unit = question.unit.get(lang)
        # No thousands separator: a range such as 1900 to 2100 must read as years.
        low, high = (format_number(v, lang, decimals=6, grouping=False) for v in (question.min, question.max))
        if unit:
            placeholder = _("{low} to {high} {unit}").format(low=low, high=high, unit=unit)
            whole = _("A whole number from {low} to {high} {unit}.")
            any_number = _("A number from {low} to {high} {unit}.")
        else:
            placeholder = _("{low} to {high}").format(low=low, high=high)
            whole = _("A whole number from {low} to {high}.")
            any_number = _("A number from {low} to {high}.")
        text = (whole if question.integer else any_number).format(low=low, high=high, unit=unit)
        return WidgetWords(placeholder=placeholder, help=text, unit=unit)
    if isinstance(question, PercentageQuestion):
        return WidgetWords(placeholder=_("0 to 100 %"))
    if isinstance(question, TextQuestion):
        return WidgetWords(placeholder=_("In your own words"))
    return WidgetWords()


@st.cache_resource(show_spinner=False)
def widget_words(lang: Language) -> dict[str, WidgetWords]:
    """Question id -> the words of its input in `lang`, worded once per process and language."""
    return {qid: words_for(q, lang) for qid, q in state.questionnaire().questions.items()}


def question_input(
    assessment_id: int,
    questionnaire: Questionnaire,
    question: QuestionBase,
    value: Any,
    disabled: bool,
    label: str | None = None,
    words: WidgetWords | None = None,
) -> None:
    """The input fit for the question's type, filled with its stored value.

    `label` is Markdown (the question's number and text, escaped) when given. Levels,
    choices, units and help are in the session's language (`words`, when the caller has
    them already from `widget_words`).
    """
    lang = current_language()
    label = label or md(question.text.get(lang))
    if isinstance(question, FundingMixQuestion):
        funding_editor(assessment_id, question, value, disabled, label)
        return
    if isinstance(question, ServicePortfolioQuestion):
        portfolio_editor(assessment_id, questionnaire, question, value, disabled, label)
        return
    words = words or widget_words(lang)[question.id]
    key = answer_key(question.id)
    state.seed(key, value)
    common: dict[str, Any] = {
        "key": key,
        "on_change": _on_answer,
        "args": (assessment_id, question.id),
        "disabled": disabled,
    }
    options = words.options
    if isinstance(question, MaturityQuestion):
        st.radio(
            label,
            list(options),
            index=None,
            format_func=options.__getitem__,
            captions=words.captions,
            **common,
        )
    elif isinstance(question, SingleChoiceQuestion):
        st.radio(label, list(options), index=None, format_func=options.__getitem__, **common)
    elif isinstance(question, MultipleChoiceQuestion):
        st.multiselect(
            label,
            list(options),
            format_func=options.__getitem__,
            placeholder=words.placeholder,
            help=words.help,
            **common,
        )
    elif isinstance(question, YesNoQuestion):
        st.radio(label, [True, False], index=None, format_func=options.__getitem__, horizontal=True, **common)
    elif isinstance(question, NumberQuestion):
        st.number_input(
            f"{label} ({words.unit})" if words.unit else label,
            value=None,
            step=1 if question.integer else 1.0,
            format="%d" if question.integer else "%g",
            placeholder=words.placeholder,
            help=words.help,
            **common,
        )
    elif isinstance(question, PercentageQuestion):
        st.number_input(label, value=None, step=1.0, format="%g", placeholder=words.placeholder, **common)
    elif isinstance(question, TextQuestion):
        st.text_area(label, max_chars=question.max_length, placeholder=words.placeholder, **common)
    show_error(question.id)


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
    frame = pd.DataFrame(rows).astype({"uptake": "float64"})
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
