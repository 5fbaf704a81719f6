"""How heavy the HTML report is: its size for each example in examples/, split into plotly.js and the rest.

The report must open offline, so plotly's bundle (several MB) is inline once; what the
report can control is everything else: the charts' JSON, the CSS and the text. Prints one
line per example and language, sizes in kB (1,000 bytes of UTF-8), nothing written to disk.

    python benchmarks/report_size.py [--lang en es pt]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessment.loading import load_answers, load_questionnaire  # noqa: E402
from reports.html import html_report, plotly_js  # noqa: E402
from scoring import Engine  # noqa: E402


def main() -> None:
    """Print the size of each example's report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", nargs="+", default=["en"], choices=["en", "es", "pt"])
    args = parser.parse_args()
    questionnaire = load_questionnaire()
    bundle = len(plotly_js().encode())
    print(f"plotly.js bundle: {bundle / 1000:,.1f} kB")
    print(f"{'example':<32} {'lang':<4} {'total kB':>10} {'less plotly.js kB':>18} {'charts':>6} {'ms':>6}")
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        answers = load_answers(path, questionnaire)
        for lang in args.lang:
            engine = Engine(questionnaire, lang)
            start = time.perf_counter()
            report = html_report(questionnaire, engine, engine.score(answers), answers, lang=lang)
            took = (time.perf_counter() - start) * 1000
            size = len(report.encode())
            charts = report.count("Plotly.newPlot")
            print(
                f"{path.stem:<32} {lang:<4} {size / 1000:>10,.1f} {(size - bundle) / 1000:>18,.1f} "
                f"{charts:>6} {took:>6.0f}"
            )


if __name__ == "__main__":
    main()
