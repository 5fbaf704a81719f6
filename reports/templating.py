"""The Jinja environment the HTML report is rendered with, built once per process.

Autoescaping is on for every template, so a cluster's name or an answer is text unless
Python hands the template a `markupsafe.Markup` on purpose (only plotly's chart markup and
plotly.js are). `StrictUndefined` turns a misspelt or missing variable into an error
instead of an empty string in a report someone prints.

The templates are package data of `reports` (reports/templates/), found through the
package rather than the working directory, so an installed wheel renders the same report.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

TEMPLATES = "templates"  # the folder inside the `reports` package


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """The report's Jinja environment (its templates are parsed once and cached by Jinja)."""
    return Environment(
        loader=PackageLoader("reports", TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, /, **context: Any) -> str:
    """The template named `template` filled in with `context` (texts final, numbers formatted)."""
    return environment().get_template(template).render(**context)
