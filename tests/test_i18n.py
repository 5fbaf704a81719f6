"""Every text in three languages: the catalogues, the questionnaire's Texts, formatting and --lang.

Registry-coverage style: each extracted message, and each Text of the shipped
questionnaire and programmes, is its own test case, so a new `_()` or a new YAML text
without its Spanish and Portuguese fails by name.
"""

from __future__ import annotations

import datetime
import re
import string
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from pydantic import BaseModel

from assessment.errors import UnknownLanguageError
from assessment.i18n import (
    catalogue_path,
    check_language,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    gettext_for,
    ngettext_for,
    percent_sign,
    translations,
)
from assessment.loading import DEFAULT_QUESTIONNAIRE, load_answers, load_questionnaire
from assessment.text import Text
from interfaces.cli import main
from programmes.criteria import PROGRAMMES_DIR, load_programme
from reports.text import text_report
from scoring import score
from scoring.describe import general, number, percent
from tests.conftest import ROOT

TRANSLATED = ("es", "pt")
EXAMPLE = ROOT / "examples" / "argentina_consolidation.yaml"


# --- the gettext catalogues ----------------------------------------------------------------


def _extracted() -> dict[tuple[str | None, str | tuple[str, ...]], str]:
    """Every message the sources mark, extracted with the project's own Babel config."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[tuple[str | None, str | tuple[str, ...]], str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(ROOT, method_map, options_map):
        found.setdefault((context, message), f"{filename}:{lineno}")
    return found


EXTRACTED = _extracted()
CATALOGUES = {lang: read_po(catalogue_path(lang).open("rb"), locale=lang) for lang in TRANSLATED}


def placeholders(text: str) -> list[str]:
    """`{name}` fields (str.format) and `%(name)s` fields, sorted, repeated ones counted once."""
    braces = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    percents = set(re.findall(r"%\((\w+)\)[sdfr]", text))
    return sorted(braces | {f"%({p})" for p in percents})


def test_extraction_finds_the_engine_report_and_cli_messages():
    ids = {m if isinstance(m, str) else m[0] for _, m in EXTRACTED}
    for expected in ("Red flags", "Level {level} of 4 ({label}) scores {score}.", "Wrote {path}"):
        assert expected in ids
    assert ("no red flag", "none") in EXTRACTED


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize(
    "key", sorted(EXTRACTED, key=repr), ids=[repr(k)[:80] for k in sorted(EXTRACTED, key=repr)]
)
def test_every_message_is_translated_with_its_placeholders(key, lang):
    context, message = key
    msgid = message if isinstance(message, str) else message[0]
    entry = CATALOGUES[lang].get(msgid, context=context)
    where = f"{EXTRACTED[key]}: {msgid!r}"
    assert entry is not None, f"{where} is not in {catalogue_path(lang)}: run `make messages`"
    assert not entry.fuzzy, f"{where} is fuzzy in {lang}"
    english = [message] if isinstance(message, str) else list(message)
    forms = [entry.string] if isinstance(entry.string, str) else list(entry.string)
    assert isinstance(message, str) == isinstance(entry.string, str), f"{where}: plural forms differ"
    for form in forms:
        assert form.strip(), f"{where} has an empty {lang} translation"
        assert placeholders(form) == placeholders(english[0]), (
            f"{where}: {lang} {form!r} changes placeholders"
        )


def test_compiled_catalogue_translates_plurals_and_contexts():
    es, pt = translations("es"), translations("pt")
    assert es.gettext("Red flags") == "Señales de alerta"
    assert pt.pgettext("no gap", "none") == "nenhuma"
    option = "{count} option(s) chosen, {points} points{capped}."
    assert ngettext_for("es")(option, option, 1).startswith("{count} opción elegida")
    assert ngettext_for("es")(option, option, 3).startswith("{count} opciones elegidas")
    assert ngettext_for("pt")(option, option, 0).startswith("{count} opção escolhida")
    assert gettext_for("en")("Red flags") == "Red flags"
    assert translations("es") is translations("es")  # compiled once per process


def test_fuzzy_entries_are_not_used(tmp_path, monkeypatch):
    po = catalogue_path("es").read_text(encoding="utf-8")
    marked = po.replace('msgid "Red flags"', '#, fuzzy\nmsgid "Red flags"', 1)
    (tmp_path / "es" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "es" / "LC_MESSAGES" / "messages.po").write_text(marked, encoding="utf-8")
    monkeypatch.setattr("assessment.i18n.LOCALE_DIR", tmp_path)
    translations.cache_clear()
    try:
        assert translations("es").gettext("Red flags") == "Red flags"
        assert translations("es").gettext("Gaps") == "Brechas"
    finally:
        translations.cache_clear()


@pytest.mark.parametrize("bad", ["fr", "EN", "", None, "pt_BR"])
def test_unknown_language_is_a_typed_error(bad):
    with pytest.raises(UnknownLanguageError, match=r"unknown language .*: choose one of en, es, pt"):
        translations(bad)
    with pytest.raises(UnknownLanguageError):
        format_number(1.0, bad)
    with pytest.raises(UnknownLanguageError):
        check_language(bad)


# --- the questionnaire's and the programmes' Texts ----------------------------------------


def walk(obj: Any, path: str):
    """(path, Text) for every Text in a loaded model, so the test sees what users see."""
    if isinstance(obj, Text):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from walk(getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from walk(item, f"{path}[{getattr(item, 'id', i)}]")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from walk(value, f"{path}.{key}")


QUESTIONNAIRE = load_questionnaire(DEFAULT_QUESTIONNAIRE)
PROGRAMME_FILES = sorted(Path(PROGRAMMES_DIR).glob("*.yaml"))
TEXTS = list(walk(QUESTIONNAIRE, "questionnaire")) + [
    item
    for path in PROGRAMME_FILES
    for item in walk(load_programme(path, QUESTIONNAIRE), f"programmes/{path.name}")
]


def text_problems(text: Text) -> list[str]:
    problems = []
    for lang in TRANSLATED:
        value = getattr(text, lang)
        if not value or not value.strip():
            problems.append(f"no {lang}")
            continue
        try:
            dropped = set(placeholders(text.en)) - set(placeholders(value))
        except ValueError as exc:
            problems.append(f"{lang} is not a valid format string ({exc})")
            continue
        if dropped:
            problems.append(f"{lang} drops {sorted(dropped)}")
        # A percentage reads as the engine writes its own (format_percent): "30 %" in Spanish.
        sign = percent_sign(lang)
        for match in re.finditer(r"[0-9}](\s?)%", value):
            if match.group(0)[1:] != sign:
                problems.append(f"{lang} writes {match.group(0)!r}, not the locale's {sign!r}")
                break
    return problems


def test_the_questionnaire_has_texts_to_check():
    assert len([p for p, _ in TEXTS if p.startswith("questionnaire")]) > 500


@pytest.mark.parametrize(("path", "text"), TEXTS, ids=[p for p, _ in TEXTS])
def test_every_questionnaire_text_has_spanish_and_portuguese(path, text):
    problems = text_problems(text)
    assert not problems, f"{path}: {', '.join(problems)}: {text.en[:70]!r}"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (Text(en="Cluster manager"), "no es"),
        (Text(en="Share {share}%", es="Cuota %", pt="Cota {share}%"), "es drops ['share']"),
        (Text(en="Share {share}%", es="Cuota {share} %", pt="  "), "no pt"),
        (Text(en="x {a}", es="x {a", pt="x {a}"), "es is not a valid format string"),
        (Text(en="At {a}%", es="Al {a}%", pt="Em {a}%"), "es writes '}%'"),
        (Text(en="At 40%", es="Al 40\u00a0%", pt="Em 40 %"), "pt writes '0 %'"),
    ],
)
def test_the_text_check_catches_missing_translations(text, problem):
    assert any(p.startswith(problem) for p in text_problems(text))


@pytest.mark.parametrize("path", PROGRAMME_FILES, ids=[p.name for p in PROGRAMME_FILES])
def test_programme_files_hold_translatable_texts(path):
    assert list(walk(load_programme(path, QUESTIONNAIRE), path.name))


# --- terminology (issue 14) ----------------------------------------------------------------

#: Terms the glossary retired, per language: a calque, an English citation label or a
#: second name for the cluster's managing body. Case-insensitive unless the pattern says
#: otherwise ("Figure " and "Table " are the English labels; Spanish "figure" is a verb).
RETIRED_TERMS = {
    "es": [
        r"(?i)mix de financiaci[oó]n",
        r"(?i)completitud",
        r"(?i)organizaci[oó]n(es)? (cl[uú]ster|gestora)",
        r"\bFigure ",
        r"\bTable ",
    ],
    "pt": [
        r"(?i)mix de financiamento",
        r"(?i)completude",
        r"(?i)organiza[cç](ão|ões) gestora",
        r"\bFigure ",
        r"\bTable ",
    ],
}


def translated_texts(lang: str):
    """(where, text) for every translation in `lang`: each msgstr form and each YAML Text."""
    for message in CATALOGUES[lang]:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        for form in forms:
            yield f"{lang} catalogue {msgid[:50]!r}", form
    for path, text in TEXTS:
        yield path, getattr(text, lang)


@pytest.mark.parametrize(
    ("lang", "pattern"), [(lang, pattern) for lang, patterns in RETIRED_TERMS.items() for pattern in patterns]
)
def test_retired_terms_are_not_used(lang, pattern):
    found = [where for where, text in translated_texts(lang) if re.search(pattern, text)]
    assert not found, f"{lang} still uses {pattern!r} in: {', '.join(found[:10])}"


def test_the_retired_terms_check_catches_a_leftover():
    mix, figure = RETIRED_TERMS["es"][0], RETIRED_TERMS["es"][3]
    assert re.search(mix, "Revise el Mix de financiación")
    assert re.search(figure, "(002 s6.2.1, Figure 1)")
    assert not re.search(figure, "entre cuyas prioridades figure la actividad")
    assert not re.search(RETIRED_TERMS["pt"][0], "a combinação de fontes de financiamento")


# --- formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("en", 1234.5, "1,234.5"),
        ("es", 1234.5, "1.234,5"),
        ("pt", 1234.5, "1.234,5"),
        ("en", 1234567.0, "1,234,567"),
        ("es", 12.0, "12"),
        ("pt", 0.05, "0,1"),
        ("es", -0.01, "0"),
    ],
)
def test_format_number(lang, value, expected):
    assert format_number(value, lang) == expected


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [("en", 12, "12%"), ("es", 12, "12\u00a0%"), ("pt", 12, "12%"), ("es", 12.25, "12,2\u00a0%")],
)
def test_format_percent(lang, value, expected):
    assert format_percent(value, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "Mar 5, 2024"), ("es", "5 mar 2024"), ("pt", "5 de mar. de 2024")]
)
def test_format_date(lang, expected):
    assert format_date(datetime.date(2024, 3, 5), lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [("en", "March 5, 2024"), ("es", "5 de marzo de 2024")])
def test_format_date_long(lang, expected):
    assert format_date(datetime.date(2024, 3, 5), lang, "long") == expected


def test_format_datetime_uses_the_locale_clock():
    moment = datetime.datetime(2024, 3, 5, 14, 3)
    assert "2:03" in format_datetime(moment, "en") and "PM" in format_datetime(moment, "en")
    assert "14:03" in format_datetime(moment, "es")


@pytest.mark.parametrize(
    ("value", "en", "es", "pt"),
    [(1234.5, "1234.5", "1.234,5", "1.234,5"), (0.25, "0.2", "0,2", "0,2"), (60.0, "60", "60", "60")],
)
def test_engine_numbers_keep_english_and_follow_the_language(value, en, es, pt):
    assert (number(value, "en"), number(value, "es"), number(value, "pt")) == (en, es, pt)


def test_engine_percent_and_general():
    assert (percent(12.5, "en"), percent(12.5, "es"), percent(12.5, "pt")) == (
        "12.5%",
        "12,5\u00a0%",
        "12,5%",
    )
    assert (general(12.25, "en"), general(12.25, "es")) == ("12.25", "12,25")


# --- the engine and the command line in each language --------------------------------------


def _english_sentences(result) -> set[str]:
    """The English sentences of a result: what must not be left in a translated report."""
    texts = {result.stage.explanation, result.overall_explanation}
    texts |= {d.explanation for d in result.dimensions} | {i.explanation for i in result.items}
    for f in result.findings:
        texts |= {f.title, f.recommendation, f.explanation, *(e.label for e in f.evidence)}
    static = [m if isinstance(m, str) else m[0] for _, m in EXTRACTED]
    texts |= {part.strip() for m in static for part in re.split(r"\{[^}]*\}", m)}
    return {t for t in texts if len(re.findall(r"[A-Za-z]{3,}", t)) >= 2}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ["Índice de sostenibilidad", "Dimensiones:", "Señales de alerta", "Recomendación:"]),
        ("pt", ["Índice de sustentabilidade", "Dimensões:", "Sinais de alerta", "Recomendação:"]),
    ],
)
def test_score_report_in_the_language(lang, words, capsys):
    assert main(["score", str(EXAMPLE), "--lang", lang]) == 0
    report = capsys.readouterr().out
    for word in words:
        assert word in report
    english = score(QUESTIONNAIRE, load_answers(EXAMPLE, QUESTIONNAIRE))
    left = sorted(s for s in _english_sentences(english) if s in report)
    assert not left, f"English left in the {lang} report: {left[:5]}"
    assert f"{english.overall:.1f}".replace(".", ",") + " / 100" in report  # a decimal comma
    assert {"es": "Plan de acción", "pt": "Plano de ação"}[lang] in report


def test_score_json_in_spanish(capsys):
    assert main(["score", str(EXAMPLE), "--format", "json", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert '"explanation": "Año 7 de vida (fundado en 2019, respuestas de 2025): Consolidación."' in out
    assert "Media ponderada de las puntuaciones de las dimensiones" in out


def test_report_and_engine_default_to_english():
    result = score(QUESTIONNAIRE, load_answers(EXAMPLE, QUESTIONNAIRE))
    assert text_report(result, questionnaire=QUESTIONNAIRE) == text_report(
        result, "en", questionnaire=QUESTIONNAIRE
    )
    assert result.stage.explanation == "Year 7 of life (founded 2019, answers for 2025): Consolidation."


@pytest.mark.parametrize(("lang", "heading"), [("es", "# Respuestas: "), ("pt", "# Respostas: ")])
def test_template_in_the_language_still_loads(lang, heading, tmp_path, capsys):
    out = tmp_path / "answers.yaml"
    assert main(["template", "--year", "2024", "--lang", lang, "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert text.startswith(heading)
    assert "Answer with one of these ids" not in text
    assert load_answers(out, QUESTIONNAIRE).year == 2024


@pytest.mark.parametrize(("lang", "word"), [("es", "válido"), ("pt", "válido")])
def test_validate_summary_in_the_language(lang, word, capsys):
    assert main(["validate", "--lang", lang]) == 0
    assert word in capsys.readouterr().out


def test_unknown_language_on_the_command_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["score", str(EXAMPLE), "--lang", "fr"])
    assert exit_.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_condition_in_words_per_language():
    condition = next(q.show_if for q in QUESTIONNAIRE.questions.values() if q.show_if is not None)
    assert condition.describe("en") == condition.describe()
    assert condition.describe("es") != condition.describe("en")


# --- the app's helpers ----------------------------------------------------------------------


def test_app_helpers_follow_the_session_language(monkeypatch):
    import webapp.i18n as app_i18n

    session: dict[str, Any] = {}
    monkeypatch.setattr(app_i18n.st, "session_state", session)
    app_i18n.begin_run()
    assert app_i18n.current_language() == "en"
    assert app_i18n._("Red flags") == "Red flags"
    session["lang"] = "pt"  # as a new run finds it
    assert app_i18n._("Red flags") == "Red flags"  # the language is read once per run
    app_i18n.begin_run()
    assert app_i18n._("Red flags") == "Sinais de alerta"
    assert app_i18n.pgettext("no gap", "none") == "nenhuma"
    assert (app_i18n.number(1234.5), app_i18n.percent(12)) == ("1.234,5", "12%")
    assert app_i18n.date(datetime.date(2024, 3, 5)) == "5 de mar. de 2024"
    app_i18n.set_language("es")  # the picker: at once, in the same run
    assert session["lang"] == "es" and app_i18n._("Red flags") == "Señales de alerta"
    with pytest.raises(UnknownLanguageError):
        app_i18n.set_language("fr")
    session["lang"] = "de"
    app_i18n.begin_run()
    with pytest.raises(UnknownLanguageError):
        app_i18n.current_language()
