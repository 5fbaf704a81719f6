"""`cluster-assess`: validate the questionnaire, write blank answers, score and report, manage accounts.

`user add|list|disable`, `programme add|assign` and `rescore` work on the store of
`DATABASE_URL` (or the default SQLite file). Exit codes: 0 on success, 2 on invalid input (the message goes to
stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import secrets
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from assessment.errors import AssessmentError
from assessment.i18n import LANGUAGES, gettext_for
from assessment.loading import DEFAULT_QUESTIONNAIRE, load_answers, load_questionnaire
from assessment.template import answers_template
from reports.text import text_report
from scoring import Engine, result_to_json, score
from scoring.result import result_to_data

EXIT_OK, EXIT_INVALID = 0, 2
CLI_ACTOR = "cli"


def _validate(args: argparse.Namespace) -> int:
    _ = gettext_for(args.lang)
    questionnaire = load_questionnaire(args.questionnaire_dir)
    unmeasured = [lesson for lesson, items in questionnaire.measured_lessons().items() if not items]
    if unmeasured:
        print(
            _("{path}: lessons measured by no question or check: {lessons}").format(
                path=args.questionnaire_dir, lessons=", ".join(unmeasured)
            ),
            file=sys.stderr,
        )
        return EXIT_INVALID
    print(
        _(
            "{ref}: valid. {dimensions} dimensions, {questions} questions, {checks} cross-checks, "
            "{lessons} lessons, all measured."
        ).format(
            ref=questionnaire.ref,
            dimensions=len(questionnaire.dimensions),
            questions=len(questionnaire.questions),
            checks=len(questionnaire.checks),
            lessons=len(questionnaire.lessons),
        )
    )
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    questionnaire = load_questionnaire(args.questionnaire)
    text = answers_template(questionnaire, args.year, args.lang)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        _ = gettext_for(args.lang)
        print(_("Wrote {path}").format(path=args.output), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    questionnaire = load_questionnaire(args.questionnaire)
    failed = False
    results = []
    for path in args.answers:
        try:
            results.append(score(questionnaire, load_answers(path, questionnaire), args.lang))
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
        sys.stdout.write("\n".join(text_report(r, args.lang, questionnaire=questionnaire) for r in results))
    return EXIT_INVALID if failed else EXIT_OK


def _report(args: argparse.Namespace) -> int:
    """One answers file as a report: the same HTML report the app downloads, or the text one."""
    questionnaire = load_questionnaire(args.questionnaire)
    answers = load_answers(args.answers, questionnaire)
    engine = Engine(questionnaire, args.lang)
    result = engine.score(answers)
    if args.format == "html":
        from reports.html import html_report  # plotly, only for this command

        text = html_report(questionnaire, engine, result, answers, "draft", None, lang=args.lang)
    else:
        text = text_report(result, args.lang, questionnaire=questionnaire)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        _ = gettext_for(args.lang)
        print(_("Report written to {path}").format(path=args.output), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def _user(args: argparse.Namespace) -> int:
    from storage import Store

    with Store() as store:
        if args.action == "list":
            rows: list[tuple[str, ...]] = [("username", "role", "scope", "status")]
            rows += [
                (u.username, u.role, u.scope, "disabled" if u.disabled else "active") for u in store.users()
            ]
            print(_table(rows))
        elif args.action == "disable":
            store.disable_user(args.username, actor=CLI_ACTOR)
            print(f"Disabled user {args.username}")
        else:
            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\r\n")
                generated = False
            else:
                password, generated = secrets.token_urlsafe(12), True
            created = store.create_user(
                args.username, password, args.role, args.cluster or (), args.programme, actor=CLI_ACTOR
            )
            print(f"Added user {created.username} ({created.role}, {created.scope})")
            if generated:
                print(f"Password: {password}")
    return EXIT_OK


def _programme(args: argparse.Namespace) -> int:
    from storage import Store

    with Store() as store:
        if args.action == "add":
            created = store.create_programme(args.slug, args.name, actor=CLI_ACTOR)
            print(f"Added programme {created.slug} ({created.name})")
        else:
            for cluster_id in args.clusters:
                store.assign_cluster(cluster_id, args.slug, actor=CLI_ACTOR)
            print(
                f"Programme {args.slug}: clusters {', '.join(map(str, store.programme(args.slug).clusters))}"
            )
    return EXIT_OK


def _rescore(args: argparse.Namespace) -> int:
    from programmes.rescore import default_workers, rescore_all
    from storage import Store

    questionnaire = load_questionnaire(args.questionnaire)
    workers = args.processes or default_workers()
    with Store() as store, _progress_bar() as progress:
        report = rescore_all(store, questionnaire, CLI_ACTOR, args.reason, workers=workers, progress=progress)
    print(report.summary())
    for assessment_id, problems in report.invalid:
        print(f"assessment {assessment_id} kept its scores: {problems}", file=sys.stderr)
    return EXIT_OK


@contextlib.contextmanager
def _progress_bar() -> Iterator[Callable[[int, int, int], None] | None]:
    """A bar on a terminal's stderr for a long re-score; nothing when stderr is a file or pipe."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("re-scoring", total=None)

        def advance(done: int, total: int, rescored: int) -> None:
            bar.update(task, completed=done, total=total, description=f"re-scoring ({rescored} done)")

        yield advance


def _add_account_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser(
        "user", help="add, list or disable user accounts (DATABASE_URL or data/assessments.db)"
    )
    actions = user.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add an account; without --password-stdin a password is generated")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=("manager", "officer", "admin"))
    add.add_argument(
        "--cluster", type=int, action="append", metavar="ID", help="a cluster the manager manages (repeat)"
    )
    add.add_argument("--programme", metavar="SLUG", help="the officer's programme")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    actions.add_parser("list", help="print every account as a table")
    disable = actions.add_parser("disable", help="disable an account: it can no longer sign in")
    disable.add_argument("username")
    user.set_defaults(run=_user)

    programme = sub.add_parser("programme", help="add a programme or put clusters in it")
    p_actions = programme.add_subparsers(dest="action", required=True)
    p_add = p_actions.add_parser("add", help="add a programme")
    p_add.add_argument("slug")
    p_add.add_argument("name")
    assign = p_actions.add_parser("assign", help="put clusters in a programme")
    assign.add_argument("slug")
    assign.add_argument("clusters", type=int, nargs="+", metavar="CLUSTER_ID")
    programme.set_defaults(run=_programme)

    rescore = sub.add_parser(
        "rescore",
        help="score every submitted assessment again with the questionnaire as it is now (e.g. after a "
        "weight change); the result each was submitted with is kept as its record",
    )
    rescore.add_argument("--reason", required=True, help="why, for the audit trail (e.g. 'weights 2027')")
    rescore.add_argument("--questionnaire", default=str(DEFAULT_QUESTIONNAIRE), help="questionnaire folder")
    rescore.add_argument("--processes", type=int, help="processes scoring at once (default: one per core)")
    rescore.set_defaults(run=_rescore)


def _add_lang(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument("--lang", choices=LANGUAGES, default="en", help=f"language of {what} (default: en)")


def build_parser() -> argparse.ArgumentParser:
    """The command line: validate, template and score, and the account commands user and programme."""
    parser = argparse.ArgumentParser(
        prog="cluster-assess",
        description="Self-assess the sustainability of a cluster initiative (EU-LAC Foundation, 2018).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a questionnaire folder and report every problem")
    validate.add_argument("questionnaire_dir", nargs="?", default=str(DEFAULT_QUESTIONNAIRE))
    _add_lang(validate, "the summary")
    validate.set_defaults(run=_validate)

    template = sub.add_parser("template", help="write a blank, commented answers file")
    template.add_argument("--questionnaire", default=str(DEFAULT_QUESTIONNAIRE), help="questionnaire folder")
    template.add_argument(
        "--year", type=int, default=datetime.date.today().year - 1, help="year the answers describe"
    )
    template.add_argument("-o", "--output", help="file to write (default: standard output)")
    _add_lang(template, "the comments")
    template.set_defaults(run=_template)

    score_cmd = sub.add_parser("score", help="score one or more answers files (YAML or JSON)")
    score_cmd.add_argument("answers", nargs="+", help="answers files")
    score_cmd.add_argument("--format", choices=("text", "json"), default="text")
    score_cmd.add_argument("--questionnaire", default=str(DEFAULT_QUESTIONNAIRE), help="questionnaire folder")
    _add_lang(score_cmd, "the report and the result's texts")
    score_cmd.set_defaults(run=_score)

    report = sub.add_parser("report", help="write one answers file's report: HTML (as the app's) or text")
    report.add_argument("answers", help="answers file (YAML or JSON)")
    report.add_argument("--format", choices=("html", "text"), default="html")
    report.add_argument("-o", "--output", help="file to write (default: standard output)")
    report.add_argument("--questionnaire", default=str(DEFAULT_QUESTIONNAIRE), help="questionnaire folder")
    _add_lang(report, "the report")
    report.set_defaults(run=_report)
    _add_account_commands(sub)
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
