"""`cluster-assess`: validate the questionnaire, write a blank answers file, score answers.

Exit codes: 0 on success, 2 on invalid input (the message goes to stderr).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from assessment.errors import AssessmentError
from assessment.loading import DEFAULT_QUESTIONNAIRE, load_answers, load_questionnaire
from assessment.report import text_report
from assessment.template import answers_template
from scoring import result_to_json, score
from scoring.result import result_to_data

EXIT_OK, EXIT_INVALID = 0, 2


def _validate(args: argparse.Namespace) -> int:
    questionnaire = load_questionnaire(args.questionnaire_dir)
    unmeasured = [lesson for lesson, items in questionnaire.measured_lessons().items() if not items]
    if unmeasured:
        print(
            f"{args.questionnaire_dir}: lessons measured by no question or check: {', '.join(unmeasured)}",
            file=sys.stderr,
        )
        return EXIT_INVALID
    questions = len(questionnaire.questions)
    print(
        f"{questionnaire.ref}: valid. {len(questionnaire.dimensions)} dimensions, {questions} questions, "
        f"{len(questionnaire.checks)} cross-checks, {len(questionnaire.lessons)} lessons, all measured."
    )
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    questionnaire = load_questionnaire(args.questionnaire)
    text = answers_template(questionnaire, args.year)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    questionnaire = load_questionnaire(args.questionnaire)
    failed = False
    results = []
    for path in args.answers:
        try:
            results.append(score(questionnaire, load_answers(path, questionnaire)))
        except AssessmentError as exc:
            print(exc, file=sys.stderr)
            failed = True
    if args.format == "json":
        if len(args.answers) == 1 and results:
            sys.stdout.write(result_to_json(results[0]) + "\n")
        elif results:
            sys.stdout.write(
                json.dumps([result_to_data(r) for r in results], indent=2, ensure_ascii=False) + "\n"
            )
    else:
        sys.stdout.write("\n".join(text_report(r) for r in results))
    return EXIT_INVALID if failed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The command line: three subcommands sharing the questionnaire option."""
    parser = argparse.ArgumentParser(
        prog="cluster-assess",
        description="Self-assess the sustainability of a cluster initiative (EU-LAC Foundation, 2018).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a questionnaire folder and report every problem")
    validate.add_argument("questionnaire_dir", nargs="?", default=str(DEFAULT_QUESTIONNAIRE))
    validate.set_defaults(run=_validate)

    template = sub.add_parser("template", help="write a blank, commented answers file")
    template.add_argument("--questionnaire", default=str(DEFAULT_QUESTIONNAIRE), help="questionnaire folder")
    template.add_argument(
        "--year", type=int, default=datetime.date.today().year - 1, help="year the answers describe"
    )
    template.add_argument("-o", "--output", help="file to write (default: standard output)")
    template.set_defaults(run=_template)

    score_cmd = sub.add_parser("score", help="score one or more answers files (YAML or JSON)")
    score_cmd.add_argument("answers", nargs="+", help="answers files")
    score_cmd.add_argument("--format", choices=("text", "json"), default="text")
    score_cmd.add_argument("--questionnaire", default=str(DEFAULT_QUESTIONNAIRE), help="questionnaire folder")
    score_cmd.set_defaults(run=_score)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; project errors become exit code 2 with the message on stderr."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except AssessmentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    raise SystemExit(main())
