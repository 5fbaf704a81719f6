"""The result as one self-contained HTML file: opens offline, prints cleanly to PDF.

Plotly's JavaScript is embedded inline once, so the charts work without a network.
Every text (the cluster's name, answers, titles) goes through `html.escape`.

The report is written in one language (`lang`): it is built when the download button is
clicked, outside any Streamlit run, so it never reads the session; the page passes its
language, an engine of that language and a result explained in it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence

import plotly.offline

from assessment.answers import ValidAnswers
from assessment.i18n import (
    format_datetime,
    format_number,
    gettext_for,
    ngettext_for,
    percent_sign,
    translations,
)
from assessment.numbering import question_number
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from programmes.peers import PeerMedians
from reports import charts
from reports.html_parts import esc, figure, h2, row
from reports.html_plans import ReportPlan, plans_section
from reports.profile import profile_rows
from reports.reference import index_meaning, peers_caption, stage_meaning
from scoring import Engine
from scoring.funding import funding_question, funding_stage_check
from scoring.headline import held_down_note, provisional_note, steps
from scoring.result import Finding, Result

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
.profile { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
  gap: 8px 20px; margin: 8px 0 16px; font-size: 14px; }
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


def _score(value: float | None, lang: Language) -> str:
    return "–" if value is None else format_number(value, lang, 1)


def kind_heading(kind: str, count: int, lang: Language = "en") -> str:
    """The heading of a kind of finding with its count, e.g. "Red flags (10)", in `lang`.

    A section heading: the plural whatever the count ("Red flags (1)"), as in a table of contents.
    """
    _ = gettext_for(lang)
    if kind == "red_flag":
        text = _("Red flags ({count})")
    elif kind == "gap":
        text = _("Gaps ({count})")
    else:
        text = _("Strengths ({count})")
    return text.format(count=count)


FINDING_KINDS = ("red_flag", "gap", "strength")


def severity_words(severity: str, lang: Language = "en") -> str:
    """A finding's severity in words in `lang`: "high importance", "medium importance"..."""
    t = translations(lang)
    words = {
        "high": t.pgettext("finding severity", "high importance"),
        "medium": t.pgettext("finding severity", "medium importance"),
        "low": t.pgettext("finding severity", "low importance"),
    }
    return words.get(severity, severity)


def _finding(f: Finding, numbers: Mapping[str, str], lang: Language) -> str:
    _ = gettext_for(lang)
    evidence = "".join(f"<li>{esc(ev.label)}: <strong>{esc(ev.value)}</strong></li>" for ev in f.evidence)
    refs = [f"{numbers[ev.question]}" for ev in f.evidence if ev.question in numbers]
    if f.item in numbers and numbers[f.item] not in refs:
        refs.insert(0, numbers[f.item])
    tag = _("{severity} · lesson {lesson} · source {source}").format(
        severity=severity_words(f.severity, lang), lesson=f.lesson, source=f.source
    )
    if refs:
        ngettext = ngettext_for(lang)
        tag += " · " + ngettext("Question {numbers}", "Questions {numbers}", len(refs)).format(
            numbers=", ".join(refs)
        )
    why, recommendation = _("Why:"), _("Recommendation:")
    return (
        f'<div class="finding {esc(f.kind)}"><div class="title">{esc(f.title)}</div>'
        f'<div class="tag">{esc(tag)}</div>'
        f"<ul>{evidence}</ul>"
        f"<div><em>{esc(why)}</em> {esc(f.explanation)}</div>"
        f"<div><em>{esc(recommendation)}</em> {esc(f.recommendation)}</div></div>"
    )


def item_title(questionnaire: Questionnaire, numbers: Mapping[str, str], item: str, lang: Language) -> str:
    """An unanswered item in words: "Profile: <field>", "2.3 <question>" or its id."""
    if item.startswith("profile."):
        field = questionnaire.profile_fields.get(item.removeprefix("profile."))
        label = field.label.get(lang) if field else item
        _ = gettext_for(lang)
        return _("Profile: {field}").format(field=label)
    if item in questionnaire.questions:
        return f"{numbers[item]} {questionnaire.questions[item].text.get(lang)}"
    return item


def _status_text(status: str, version_number: int | None, lang: Language) -> str:
    _ = gettext_for(lang)
    if status == "submitted":
        if version_number:
            return _("submitted, version {number}").format(number=version_number)
        return _("submitted")
    if version_number:
        return _("draft (not submitted), version {number}").format(number=version_number)
    return _("draft (not submitted)")


def _headline(result: Result, lang: Language) -> list[str]:
    _ = gettext_for(lang)
    parts = [
        "<section>" + h2(_("Result")),
        '<div class="headline">',
        '<div><div class="muted">' + esc(_("Sustainability index")) + "</div>"
        f'<div class="index">{_score(result.overall, lang)}'
        f'<span class="muted" style="font-size:18px"> / 100</span></div></div>',
        '<div><div class="muted">' + esc(_("Stage")) + "</div>"
        f'<div class="stage">{esc(result.stage.label)}</div></div>',
        '<div><div class="muted">' + esc(_("Completeness")) + "</div>"
        f'<div class="stage">{esc(_score(result.completeness, lang) + percent_sign(lang))}</div></div>',
        "</div>",
        *(f'<p class="note">{esc(n)}</p>' for n in _caveats(result, lang)),
        f"<p>{esc(index_meaning(result.overall, lang))}</p>",
        f"<p>{esc(stage_meaning(result.stage.id, result.stage.label, result.stage.year_of_life, lang))}</p>",
        f'<p class="muted">{esc(result.overall_explanation)}</p>',
    ]
    if result.completeness < 100:
        count = len(result.unanswered)
        ngettext = ngettext_for(lang)
        note = ngettext(
            "{count} item is not answered yet; it is left out of the scores (never counted as zero) "
            "and listed at the end.",
            "{count} items are not answered yet; they are left out of the scores (never counted as zero) "
            "and listed at the end.",
            count,
        ).format(count=count)
        parts.append(f'<p class="note">{esc(note)}</p>')
    parts.append("</section>")
    return parts


def _caveats(result: Result, lang: Language) -> list[str]:
    """Whether the index is final and what holds it down, as the app and the text report say it."""
    return [n for n in (provisional_note(result, lang), held_down_note(result, lang)) if n]


def _action_plan(result: Result, lang: Language) -> list[str]:
    _ = gettext_for(lang)
    plan = steps(result, lang)
    if not plan:
        return []
    parts = ["<section>" + h2(_("Action plan")), "<ol>"]
    for step in plan:
        together = f"<div>{esc(step.together)}</div>" if step.together else ""
        parts.append(
            f"<li><strong>{esc(step.title)}</strong> <span class='muted'>{esc(step.gain)}</span>{together}"
            f"<div>{esc(step.recommendation)}</div>"
            f"<div class='muted'>{esc(_('Source: {source}').format(source=step.source))}</div></li>"
        )
    parts.append("</ol></section>")
    return parts


def _dimensions(result: Result, name: str, lang: Language, peers: PeerMedians | None) -> list[str]:
    _ = gettext_for(lang)
    parts = [
        "<section>" + h2(_("Dimensions")),
        figure(charts.radar([(name, result)], lang=lang, peers=peers), "radar"),
    ]
    if peers is not None:
        parts.append('<p class="muted">' + esc(peers_caption(peers, lang)) + "</p>")
    parts += [
        "<table>" + row([_("Dimension"), _("Weight"), _("Score"), _("Answered")], head=True),
    ]
    for d in result.dimensions:
        parts.append(
            f"<tr><td>{esc(d.title)}<div class='muted'>{esc(d.explanation)}</div></td>"
            f"<td class='num'>{_score(d.weight, lang)}</td><td class='num'>{_score(d.score, lang)}</td>"
            f"<td class='num'>{d.answered}/{d.asked}</td></tr>"
        )
    parts.append("</table></section>")
    return parts


def _portfolio(questionnaire: Questionnaire, answers: ValidAnswers, lang: Language) -> list[str]:
    _ = gettext_for(lang)
    portfolio_id = next(
        (q.id for q in questionnaire.questions.values() if q.type == "service_portfolio"), None
    )  # type: ignore[attr-defined]
    if not portfolio_id or portfolio_id not in answers.answers:
        return []
    plain = answers.to_data()["answers"].get(portfolio_id)
    parts = [
        "<section>" + h2(_("Service portfolio")),
        figure(charts.portfolio_matrix(questionnaire, plain, lang=lang), "portfolio"),
    ]
    own = [v.get("name") or k for k, v in (plain or {}).items() if k not in questionnaire.service_index]
    if own:
        text = _("Services of the cluster's own: {services}.").format(services=", ".join(map(str, own)))
        parts.append(f"<p>{esc(text)}</p>")
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
    pgettext = translations(lang).pgettext
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
    title = _("{cluster}: sustainability self-assessment {year}").format(cluster=name, year=result.year)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        f'<script type="text/javascript">{plotly_js()}</script>',
        "</head><body>",
        "<header>",
        f'<div class="meta">{esc(questionnaire.title.get(lang))}</div>',
        f"<h1>{esc(name)}</h1>",
        f'<div class="meta">{esc(meta)}</div>',
        "</header>",
    ]
    if answers is not None:
        rows = profile_rows(questionnaire, answers.profile, result, lang)
        cells = "".join(f"<div><span class='muted'>{esc(k)}</span><br>{esc(v)}</div>" for k, v in rows)
        parts.append(f'<section class="profile">{cells}</section>')
    parts += _headline(result, lang)
    parts += _action_plan(result, lang)
    parts += _dimensions(result, name, lang, peers)

    funding = funding_question(questionnaire)
    given = answers.answers if answers is not None else {}
    if funding is not None and given.get(funding.id):
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
        ).format(early=_pct(60, lang), late=_pct(40, lang))
        parts += [
            "<section>" + h2(_("Funding mix")),
            figure(fig, "funding"),
            f'<p class="muted">{esc(reference)}</p></section>',
        ]
    if answers is not None:
        parts += _portfolio(questionnaire, answers, lang)

    for kind in FINDING_KINDS:
        found = result.findings_of(kind)  # type: ignore[arg-type]
        parts.append(f"<section><h2>{esc(kind_heading(kind, len(found), lang))}</h2>")
        if not found:
            parts.append('<p class="muted">' + esc(pgettext("no finding of this kind", "None.")) + "</p>")
        parts += [_finding(f, numbers, lang) for f in found]
        parts.append("</section>")

    funding_labels = {s.id: s.label.get(lang) for s in funding.sources} if funding is not None else {}
    members = answers.profile.get("members_total") if answers is not None else None
    members_count = int(members) if members is not None else None
    parts += plans_section(plans, funding_labels, members_count, lang, questionnaire.service_index)

    if result.unanswered:
        parts.append("<section>" + h2(_("Not answered yet")) + "<ul>")
        parts += [
            f"<li>{esc(item_title(questionnaire, numbers, item, lang))}</li>" for item in result.unanswered
        ]
        parts.append("</ul></section>")
    if result.notes:
        parts.append("<section>" + h2(_("Notes")) + "<ul>")
        parts += [f"<li>{esc(n)}</li>" for n in result.notes]
        parts.append("</ul></section>")

    if answers is not None:
        parts.append(
            "<section>" + h2(_("Answers")) + "<table>" + row(["#", _("Question"), _("Answer")], head=True)
        )
        for qid, question in questionnaire.questions.items():
            value = given.get(qid)
            if value is None:
                continue
            parts.append(
                f"<tr><td class='num'>{numbers[qid]}</td><td>{esc(question.text.get(lang))}</td>"
                f"<td>{esc(engine.describe(qid, value))}</td></tr>"
            )
        parts.append("</table></section>")

    method = _(
        "Method: the EU-LAC Foundation's study {title} (2018), section 6 (002), with articles by cluster "
        "managers (000, 001, 003). Each finding names the lesson and the section it rests on."
    )
    parts += [
        "<footer>",
        f"<p>{esc(questionnaire.description.get(lang))}</p>",
        "<p>"
        + esc(method).replace("{title}", "<em>" + esc(_("Clusters and Cluster Policy")) + "</em>")
        + "</p>",
        "</footer></body></html>",
    ]
    return "\n".join(parts)


def _pct(value: float, lang: Language) -> str:
    return format_number(value, lang, 1) + percent_sign(lang)
