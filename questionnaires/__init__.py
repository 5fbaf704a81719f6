"""The questionnaires and programme criteria, shipped as package data.

The YAML files beside this module are the single source of truth for questions, weights,
gates and texts. Being a package lets `pip install .` carry them into site-packages, so an
installed `cluster-assess` finds them wherever it is run from.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

#: The folder of the shipped questionnaires (a real folder: the package is never zipped).
DIRECTORY = Path(str(files(__name__)))
