"""The European references the results are drawn against, stated once and explained.

These are figures the app draws beside a cluster's own; they are not used in scoring
(the questionnaire and the engine hold every scoring rule).
"""

from __future__ import annotations

from typing import Final

from assessment.i18n import N_, format_number, gettext_for
from assessment.text import Language

# Reference profile of the radar chart: an established European cluster organisation as
# the EU-LAC Foundation's study describes the sustainable ones in 002 s6.2 (s6.2.1 funding
# mix, s6.2.2 value offer and Table 6, s6.2.3 management structure, Figure 4): about 40%
# of income public (Figure 1, 2016-2017), members paying fees and buying the Table 6
# services that both bring income and are highly valued, a structure its stable income
# carries and a board led by representative private members.
#
# On this questionnaire's scales such a cluster answers at level 3 of the maturity scales
# ("in place and documented"), which scores 75, and its choices and figures score about
# the same; 75 is also the score at which the questionnaire records a strength. So the
# reference is 75 in every dimension: a line to reach, not a ceiling (level 4 adds
# measured, reviewed practice on top of it).
REFERENCE_SCORE: Final = 75.0
# English, marked for translation: words it in the reader's language.
REFERENCE_LABEL: Final = N_("European reference (002 s6.2): level 3, 'in place', in every dimension")
REFERENCE_PROFILE: Final[dict[str, float]] = {
    "foundations": REFERENCE_SCORE,
    "funding_mix": REFERENCE_SCORE,
    "value_offer": REFERENCE_SCORE,
    "management": REFERENCE_SCORE,
    "governance": REFERENCE_SCORE,
    "strategy": REFERENCE_SCORE,
    "cooperation": REFERENCE_SCORE,
}

# The public share of European cluster organisations' funding (002 s6.2.1, Figure 1,
# ESCA data): about 60% in 2010-2012 and about 40% in 2016-2017.
EUROPEAN_PUBLIC_SHARE: Final[dict[str, float]] = {"2010-2012": 60.0, "2016-2017": 40.0}


def reference_score(dimension_id: str) -> float:
    """The reference score of a dimension (the common reference for any dimension not listed)."""
    return REFERENCE_PROFILE.get(dimension_id, REFERENCE_SCORE)


def reference_label(lang: Language = "en") -> str:
    """The radar reference's name in `lang` (REFERENCE_LABEL translated)."""
    return gettext_for(lang)(REFERENCE_LABEL)


def index_meaning(overall: float | None, lang: Language = "en") -> str:
    """A plain sentence, in `lang`, on what a sustainability index means.

    The bands are the app's reading aid, set on the questionnaire's scales (25 points per
    maturity level); they are not a rule of the sources.
    """
    _ = gettext_for(lang)
    if overall is None:
        return _("There is no index yet: answer at least one scored question.")
    if overall < 40:
        return _(
            "Fragile: most answers sit at the lowest levels (none or informal). A cluster like "
            "this is at risk of closing when public support ends, as many Spanish AEI clusters did."
        )
    if overall < 60:
        return _(
            "Partly sustainable: some practices are in place, but funding, value offer or "
            "governance still depend on a few people or on public money."
        )
    if overall < REFERENCE_SCORE:
        return _(
            "On the way: most practices are in place, below the European reference of "
            "{reference} in some dimensions. The gaps below say where to work."
        ).format(reference=format_number(REFERENCE_SCORE, lang))
    return _(
        "Sustainable by the European reference: practices are in place and documented, and "
        "members carry most of the costs. The strengths below are worth keeping."
    )


def stage_meaning(
    stage_id: str | None, stage_label: str, year_of_life: int | None, lang: Language = "en"
) -> str:
    """A plain sentence, in `lang`, on what the stage means for how the answers are read.

    `stage_label` is the stage's name as the caller shows it (the result's, or the questionnaire's in `lang`).
    """
    _ = gettext_for(lang)
    if year_of_life:
        year = _("year {number} of life").format(number=year_of_life)
    else:
        year = _("an unknown year of life")
    if stage_id == "launch":
        return _(
            "{stage} ({year}): public money is expected now, but the path to members "
            "paying must start from the beginning (002 s6.2.1, s6.3.2c)."
        ).format(stage=stage_label, year=year)
    if stage_id == "consolidation":
        return _(
            "{stage} ({year}): the cluster must show results and members must take on "
            "a growing part of the costs (002 s6.2.1)."
        ).format(stage=stage_label, year=year)
    if stage_id == "maturity":
        return _(
            "{stage} ({year}): the cluster should be viable whatever public funds are "
            "available; in Europe about 40% of income was public in 2016-2017 (002 s6.2.1)."
        ).format(stage=stage_label, year=year)
    return _(
        "No stage yet: give the founding year in the profile, since the same answers "
        "score differently by stage."
    )
