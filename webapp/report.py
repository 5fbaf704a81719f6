"""The result as one self-contained HTML file: opens offline, prints cleanly to PDF.

Plotly's JavaScript is embedded inline once, so the charts work without a network.
Every text (the cluster's name, answers, titles) goes through `html.escape`.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import plotly.graph_objects as go
import plotly.offline
from pydantic import BaseModel

from assessment.answers import ValidAnswers
from assessment.questionnaire import Questionnaire
from planning import Assumptions, ServicePlan, StructureInputs, plan_income, project, structure_fit
from scoring import Engine
from scoring.result import Finding, Result
from webapp import charts
from webapp.logic import funding_question, funding_stage_check, question_number
from webapp.reference import REFERENCE_LABEL, index_meaning, stage_meaning

REPORT_WIDTH = 680  # px: fits an A4 page with 15 mm margins
_HEADINGS = (("red_flag", "Red flags"), ("gap", "Gaps"), ("strength", "Strengths"))

CSS = """
:root { --ink: #111827; --muted: #4b5563; --line: #d1d5db;
        --red: #b91c1c; --amber: #b45309; --green: #047857; }
* { box-sizing: border-box; }
body { font-family: Inter, "Source Sans Pro", Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 780px; padding: 24px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 4px; }
.meta, .muted { color: var(--muted); }
.headline { display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; margin: 12px 0; }
.index { font-size: 42px; font-weight: 700; } .stage { font-size: 18px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; } td.num { text-align: right; white-space: nowrap; }
.finding { border-left: 4px solid var(--line); padding: 6px 10px; margin: 10px 0; break-inside: avoid; }
.finding.red_flag { border-color: var(--red); } .finding.gap { border-color: var(--amber); }
.finding.strength { border-color: var(--green); }
.finding .title { font-weight: 600; } .tag { font-size: 12px; color: var(--muted); }
.chart { margin: 8px 0; break-inside: avoid; page-break-inside: avoid; }
.note { background: #fef3c7; padding: 6px 10px; border-radius: 4px; }
footer { margin-top: 32px; font-size: 12px; color: var(--muted);
         border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-inside: auto; }
  .chart, .finding, tr { break-inside: avoid; page-break-inside: avoid; }
  .modebar, .no-print { display: none !important; }
  a { color: inherit; text-decoration: none; }
}
"""


@functools.lru_cache(maxsize=1)
def plotly_js() -> str:
    """Plotly's JavaScript bundle, to embed inline (read once per process)."""
    return plotly.offline.get_plotlyjs()


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _figure(fig: go.Figure, div_id: str) -> str:
    fig.update_layout(width=REPORT_WIDTH, autosize=False)
    body = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displayModeBar": False, "responsive": False, "staticPlot": False},
    )
    return f'<div class="chart">{body}</div>'


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _finding(f: Finding, numbers: Mapping[str, str], questionnaire: Questionnaire) -> str:
    evidence = "".join(f"<li>{_e(ev.label)}: <strong>{_e(ev.value)}</strong></li>" for ev in f.evidence)
    refs = [f"{numbers[ev.question]}" for ev in f.evidence if ev.question in numbers]
    if f.item in numbers and numbers[f.item] not in refs:
        refs.insert(0, numbers[f.item])
    questions = f"Questions {', '.join(refs)}" if refs else ""
    return (
        f'<div class="finding {_e(f.kind)}"><div class="title">{_e(f.title)}</div>'
        f'<div class="tag">{_e(f.severity)} · lesson {_e(f.lesson)} · source {_e(f.source)}'
        f"{' · ' + _e(questions) if questions else ''}</div>"
        f"<ul>{evidence}</ul>"
        f"<div><em>Why:</em> {_e(f.explanation)}</div>"
        f"<div><em>Recommendation:</em> {_e(f.recommendation)}</div></div>"
    )


class ReportPlan(NamedTuple):
    """A saved plan to put in the report: its kind (storage.plans.PLAN_KINDS), name and planning model."""

    kind: str
    name: str
    payload: BaseModel


_ACTION_WORDS = {
    "start": "Start",
    "charge": "Charge for it",
    "keep": "Keep",
    "fund_elsewhere": "Keep, fund from elsewhere",
    "reduce": "Stop or reduce",
    "review": "Review",
}


def _num(value: float | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:,.1f}{unit}"


def _funding_plan(index: int, name: str, a: Assumptions, labels: Mapping[str, str]) -> list[str]:
    p = project(a)
    below = (
        f"The public share falls below {p.public_target_pct:g}% in {p.year_below_target}."
        if p.year_below_target is not None
        else f"The public share stays at or above {p.public_target_pct:g}% through {p.years[-1].year}."
    )
    covered = (
        f"Costs are not covered in {', '.join(map(str, p.uncovered_years))}: "
        f"{p.cumulative_gap:,.1f} thousand short in all."
        if p.uncovered_years
        else "Income covers the cost of the structure every year."
    )
    parts = [
        f"<h3>Funding exit path: {_e(name)}</h3>",
        f"<p>{_e(below)} {_e(covered)}</p>",
        _figure(charts.funding_path(p, labels, name), f"plan-funding-{index}"),
        "<table><tr><th>Year</th><th>Income</th><th>Cost</th><th>Balance</th><th>Public share</th></tr>",
    ]
    parts += [
        f"<tr><td>{y.year}</td><td class='num'>{_num(y.total)}</td><td class='num'>{_num(y.cost)}</td>"
        f"<td class='num'>{_num(y.balance)}</td><td class='num'>{_num(y.public_share, '%')}</td></tr>"
        for y in p.years
    ]
    parts.append("</table>")
    return parts


def _service_plan(index: int, name: str, plan: ServicePlan, members: int | None) -> list[str]:
    parts = [
        f"<h3>Service portfolio plan: {_e(name)}</h3>",
        "<table><tr><th>Service</th><th>Advice</th><th>Price</th><th>Uptake</th></tr>",
    ]
    parts += [
        f"<tr><td>{_e(i.name)}</td><td>{_e(_ACTION_WORDS.get(i.action, i.action))}</td>"
        f"<td class='num'>{_num(i.price)}</td><td class='num'>{_num(i.uptake, '%')}</td></tr>"
        for i in plan.items
    ]
    parts.append("</table>")
    if members is not None:
        income = plan_income(plan, members)
        parts.append(
            f"<p>With {members} members the priced services would bring "
            f"{income.total:,.1f} thousand a year.</p>"
        )
        if income.by_service:
            names = {i.service: i.name for i in plan.items}
            parts.append(
                _figure(charts.service_income_bars(income.by_service, names), f"plan-services-{index}")
            )
    return parts


def _structure_plan(index: int, name: str, inputs: StructureInputs) -> list[str]:
    fit = structure_fit(inputs)
    parts = [
        f"<h3>Structure fit: {_e(name)}</h3>",
        f"<p>Cost {fit.cost:,.1f} thousand a year against stable income of {fit.stable_income:,.1f} thousand"
        f" (cover {_num(fit.cover)}).</p>",
    ]
    if fit.warning:
        parts.append(f'<p class="note">{_e(fit.warning)}</p>')
    parts += [
        f"<p class='muted'>{_e(fit.note)}</p>",
        _figure(charts.structure_fit_bars(fit), f"plan-structure-{index}"),
    ]
    return parts


def plans_section(plans: Sequence[ReportPlan], labels: Mapping[str, str], members: int | None) -> list[str]:
    """The report's section of saved plans, charts inline; empty when there are none."""
    if not plans:
        return []
    parts = ["<section><h2>Plans</h2>"]
    for index, plan in enumerate(plans):
        if isinstance(plan.payload, Assumptions):
            parts += _funding_plan(index, plan.name, plan.payload, labels)
        elif isinstance(plan.payload, ServicePlan):
            parts += _service_plan(index, plan.name, plan.payload, members)
        elif isinstance(plan.payload, StructureInputs):
            parts += _structure_plan(index, plan.name, plan.payload)
    parts.append("</section>")
    return parts


def html_report(
    questionnaire: Questionnaire,
    engine: Engine,
    result: Result,
    answers: ValidAnswers | None,
    status: str = "draft",
    version_number: int | None = None,
    generated: dt.datetime | None = None,
    plans: Sequence[ReportPlan] = (),
) -> str:
    """The whole report as one HTML page with the charts and plotly.js inline, and the saved plans."""
    generated = generated or dt.datetime.now()
    numbers = question_number(questionnaire)
    name = result.cluster or "(unnamed cluster)"
    status_text = "submitted" if status == "submitted" else "draft (not submitted)"
    version = f", version {version_number}" if version_number else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(name)}: sustainability self-assessment {result.year}</title>",
        f"<style>{CSS}</style>",
        f'<script type="text/javascript">{plotly_js()}</script>',
        "</head><body>",
        "<header>",
        f'<div class="meta">{_e(questionnaire.title.en)}</div>',
        f"<h1>{_e(name)}</h1>",
        f'<div class="meta">Answers for {_e(result.year)} · {_e(status_text)}{_e(version)} · '
        f"questionnaire {_e(result.questionnaire)}, scoring engine {_e(result.engine_version)} · "
        f"report of {_e(generated.strftime('%Y-%m-%d %H:%M'))}</div>",
        "</header>",
        "<section><h2>Result</h2>",
        '<div class="headline">',
        f'<div><div class="muted">Sustainability index</div><div class="index">{_score(result.overall)}'
        f'<span class="muted" style="font-size:18px"> / 100</span></div></div>',
        f'<div><div class="muted">Stage</div><div class="stage">{_e(result.stage.label)}</div></div>',
        f'<div><div class="muted">Completeness</div>'
        f'<div class="stage">{_score(result.completeness)}%</div></div>',
        "</div>",
        f"<p>{_e(index_meaning(result.overall))}</p>",
        f"<p>{_e(stage_meaning(result.stage.id, result.stage.label, result.stage.year_of_life))}</p>",
        f'<p class="muted">{_e(result.overall_explanation)}</p>',
    ]
    if result.completeness < 100:
        parts.append(
            f'<p class="note">{len(result.unanswered)} items are not answered yet; they are left out of '
            "the scores (never counted as zero) and listed at the end.</p>"
        )
    parts.append("</section>")

    parts += ["<section><h2>Dimensions</h2>", _figure(charts.radar([(name, result)]), "radar")]
    parts.append(f'<p class="muted">Dashed line: {_e(REFERENCE_LABEL)}.</p>')
    parts.append("<table><tr><th>Dimension</th><th>Weight</th><th>Score</th><th>Answered</th></tr>")
    for d in result.dimensions:
        parts.append(
            f"<tr><td>{_e(d.title)}<div class='muted'>{_e(d.explanation)}</div></td>"
            f"<td class='num'>{d.weight:g}</td><td class='num'>{_score(d.score)}</td>"
            f"<td class='num'>{d.answered}/{d.asked}</td></tr>"
        )
    parts.append("</table></section>")

    funding = funding_question(questionnaire)
    given = answers.answers if answers is not None else {}
    if funding is not None and given.get(funding.id):
        fig = charts.funding_benchmark(
            funding,
            given[funding.id],
            result.stage.id,
            result.stage.label,
            funding_stage_check(questionnaire),
            cluster_label=f"This cluster, {result.year}",
        )
        parts += [
            "<section><h2>Funding mix</h2>",
            _figure(fig, "funding"),
            '<p class="muted">European reference: public share about 60% in 2010-2012 and about 40% '
            "in 2016-2017 (002 s6.2.1, Figure 1).</p></section>",
        ]
    portfolio_id = next(
        (q.id for q in questionnaire.questions.values() if q.type == "service_portfolio"), None
    )  # type: ignore[attr-defined]
    if portfolio_id and answers is not None and portfolio_id in given:
        plain = answers.to_data()["answers"].get(portfolio_id)
        parts += [
            "<section><h2>Service portfolio</h2>",
            _figure(charts.portfolio_matrix(questionnaire, plain), "portfolio"),
        ]
        own = [v.get("name") or k for k, v in (plain or {}).items() if k not in questionnaire.service_index]
        if own:
            parts.append(f"<p>Services of the cluster's own: {_e(', '.join(map(str, own)))}.</p>")
        parts.append("</section>")

    for kind, heading in _HEADINGS:
        found = result.findings_of(kind)  # type: ignore[arg-type]
        parts.append(f"<section><h2>{heading} ({len(found)})</h2>")
        if not found:
            parts.append('<p class="muted">None.</p>')
        parts += [_finding(f, numbers, questionnaire) for f in found]
        parts.append("</section>")

    funding_labels = {s.id: s.label.en for s in funding.sources} if funding is not None else {}
    members = answers.profile.get("members_total") if answers is not None else None
    parts += plans_section(plans, funding_labels, int(members) if members is not None else None)

    if result.unanswered:
        labels = []
        for item in result.unanswered:
            if item.startswith("profile."):
                field = questionnaire.profile_fields.get(item.removeprefix("profile."))
                labels.append(f"Profile: {field.label.en if field else item}")
            elif item in questionnaire.questions:
                labels.append(f"{numbers[item]} {questionnaire.questions[item].text.en}")
            else:
                labels.append(item)
        parts.append("<section><h2>Not answered yet</h2><ul>")
        parts += [f"<li>{_e(label)}</li>" for label in labels]
        parts.append("</ul></section>")
    if result.notes:
        parts.append("<section><h2>Notes</h2><ul>")
        parts += [f"<li>{_e(n)}</li>" for n in result.notes]
        parts.append("</ul></section>")

    if answers is not None:
        parts.append("<section><h2>Answers</h2><table><tr><th>#</th><th>Question</th><th>Answer</th></tr>")
        for qid, question in questionnaire.questions.items():
            value = given.get(qid)
            if value is None:
                continue
            parts.append(
                f"<tr><td class='num'>{numbers[qid]}</td><td>{_e(question.text.en)}</td>"
                f"<td>{_e(engine.describe(qid, value))}</td></tr>"
            )
        parts.append("</table></section>")

    parts += [
        "<footer>",
        f"<p>{_e(questionnaire.description.en)}</p>",
        "<p>Method: the EU-LAC Foundation's study <em>Clusters and Cluster Policy</em> (2018), section 6 "
        "(002), with articles by cluster managers (000, 001, 003). Each finding names the lesson and the "
        "section it rests on.</p>",
        "</footer></body></html>",
    ]
    return "\n".join(parts)
