"""The result as one self-contained HTML file: opens offline, prints cleanly to PDF.

The page is the Jinja template reports/templates/report.html.j2, filled in with plain data
(reports.html_sections, reports.html_plans) and autoescaped: a cluster's name or an answer
is always text. Plotly's JavaScript is embedded inline once, so the charts work without a
network; each chart carries only its data and a template cut to what it draws.

The report is written in one language (`lang`): it is built when the download button is
clicked, outside any Streamlit run, so it never reads the session; the page passes its
language, an engine of that language and a result explained in it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

import plotly.offline
from markupsafe import Markup

from assessment.answers import ValidAnswers
from assessment.i18n import format_datetime, gettext_for
from assessment.numbering import item_title, question_number
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from programmes.peers import PeerMedians
from reports import charts
from reports.html_parts import figure
from reports.html_plans import ReportPlan, plans_section
from reports.html_sections import (
    FINDING_KINDS,
    ChartSection,
    action_plan,
    answers_table,
    dimensions,
    finding_groups,
    headline,
    kind_heading,
    pct_text,
    portfolio,
    severity_words,
)
from reports.members import members_view
from reports.profile import profile_rows
from reports.templating import render
from scoring import Engine
from scoring.funding import funding_question, funding_stage_check
from scoring.result import Result

__all__ = [
    "FINDING_KINDS",
    "ReportPlan",
    "html_report",
    "item_title",
    "kind_heading",
    "plotly_js",
    "severity_words",
]


@functools.lru_cache(maxsize=1)
def plotly_js() -> Markup:
    """Plotly's JavaScript bundle, to embed inline (read once per process).

    Markup: it is plotly's own script, put in a <script> element as is; escaping it would
    break it.
    """
    return Markup(plotly.offline.get_plotlyjs())


def _status_text(status: str, version_number: int | None, lang: Language) -> str:
    _ = gettext_for(lang)
    if status == "submitted":
        if version_number:
            return _("submitted, version {number}").format(number=version_number)
        return _("submitted")
    if version_number:
        return _("draft (not submitted), version {number}").format(number=version_number)
    return _("draft (not submitted)")


def _funding(
    questionnaire: Questionnaire, answers: ValidAnswers | None, result: Result, lang: Language
) -> ChartSection | None:
    """The funding mix beside the European reference; None when the mix is not answered."""
    _ = gettext_for(lang)
    funding = funding_question(questionnaire)
    given = answers.answers if answers is not None else {}
    if funding is None or not given.get(funding.id):
        return None
    fig = charts.funding_benchmark(
        funding,
        given[funding.id],
        result.stage.id,
        result.stage.label,
        funding_stage_check(questionnaire),
        cluster_label=_("This cluster, {year}").format(year=result.year),
        lang=lang,
    )
    reference = _(
        "European reference: public share about {early} in 2010-2012 and about {late} in 2016-2017 "
        "(002 s6.2.1, Figure 1)."
    ).format(early=pct_text(60, lang), late=pct_text(40, lang))
    return ChartSection(_("Funding mix"), figure(fig, "funding"), reference, muted=True)


def html_report(
    questionnaire: Questionnaire,
    engine: Engine,
    result: Result,
    answers: ValidAnswers | None,
    status: str = "draft",
    version_number: int | None = None,
    generated: dt.datetime | None = None,
    plans: Sequence[ReportPlan] = (),
    lang: Language = "en",
    peers: PeerMedians | None = None,
) -> str:
    """The whole report in `lang` as one HTML page with the charts and plotly.js inline, and the saved plans.

    `engine` must be of `lang` (it describes the answers) and `result` explained in `lang`
    (an engine of `lang` wrote its sentences); the report's own texts, the questionnaire's
    and the numbers follow `lang`.

    Raises:
        ValueError: `engine` is of another language than `lang`.
    """
    if engine.lang != lang:
        raise ValueError(f"html_report: the engine is of {engine.lang!r}, the report of {lang!r}")
    _ = gettext_for(lang)
    generated = generated or dt.datetime.now()
    numbers = question_number(questionnaire)
    name = result.cluster or _("(unnamed cluster)")
    meta = _(
        "Answers for {year} · {status} · questionnaire {questionnaire}, scoring engine {engine} · "
        "report of {date}"
    ).format(
        year=result.year,
        status=_status_text(status, version_number, lang),
        questionnaire=result.questionnaire,
        engine=result.engine_version,
        date=format_datetime(generated, lang, "short"),
    )
    given = answers.answers if answers is not None else {}
    funding = funding_question(questionnaire)
    funding_labels = {s.id: s.label.get(lang) for s in funding.sources} if funding is not None else {}
    members = answers.profile.get("members_total") if answers is not None else None
    # The sentence names the study in italics: the text around "{title}" and the title apart.
    method = _(
        "Method: the EU-LAC Foundation's study {title} (2018), section 6 (002), with articles by cluster "
        "managers (000, 001, 003). Each finding names the lesson and the section it rests on."
    )
    before, found, after = method.partition("{title}")
    return render(
        "report.html.j2",
        lang=lang,
        title=_("{cluster}: sustainability self-assessment {year}").format(cluster=name, year=result.year),
        plotly_js=plotly_js(),
        questionnaire_title=questionnaire.title.get(lang),
        name=name,
        meta=meta,
        profile=profile_rows(questionnaire, answers.profile, result, lang) if answers is not None else [],
        headline=headline(result, lang),
        members=members_view(result.members, lang),
        action_plan_heading=_("Action plan"),
        steps=action_plan(result, lang),
        dimensions=dimensions(result, name, lang, peers),
        funding=_funding(questionnaire, answers, result, lang),
        portfolio=portfolio(questionnaire, answers, lang) if answers is not None else None,
        finding_groups=finding_groups(result, numbers, lang),
        plans_heading=_("Plans"),
        plans=plans_section(
            plans,
            funding_labels,
            int(members) if members is not None else None,
            lang,
            questionnaire.service_index,
        ),
        unanswered_heading=_("Not answered yet"),
        unanswered=[item_title(questionnaire, numbers, item, lang) for item in result.unanswered],
        notes_heading=_("Notes"),
        notes=result.notes,
        answers_heading=_("Answers"),
        answers=(
            answers_table(questionnaire, numbers, given, engine.describe, lang)
            if answers is not None
            else None
        ),
        description=questionnaire.description.get(lang),
        method=(before, _("Clusters and Cluster Policy") if found else "", after),
    )
