"""The years an answer set may describe, in a module of their own.

The store checks a draft's year with these bounds, and the sign-in page imports the
store: kept apart from `assessment.answers`, they cost the first page no import of the
questionnaire models (pydantic), which measured about 0.14 s of each start.
"""

from __future__ import annotations

MIN_YEAR, MAX_YEAR = 1950, 2100
