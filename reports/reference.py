"""The references the results are drawn against, stated once and explained.

Only what the sources give (the European public share of 002 s6.2.1) and what the
programme's own clusters show (their median): the app draws no reference line of its own
making. None of these is used in scoring (the questionnaire and the engine hold every rule).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from assessment.i18n import gettext_for
from assessment.text import Language

if TYPE_CHECKING:
    from programmes.peers import PeerMedians, PeerRanks

# The public share of European cluster organisations' funding (002 s6.2.1, Figure 1,
# ESCA data): about 60% in 2010-2012 and about 40% in 2016-2017.
EUROPEAN_PUBLIC_SHARE: Final[dict[str, float]] = {"2010-2012": 60.0, "2016-2017": 40.0}


def peers_label(peers: PeerMedians, lang: Language = "en") -> str:
    """The name of the radar's dashed line: the median of the programme's other clusters."""
    _ = gettext_for(lang)
    return _("Median of {count} other clusters in {programme}").format(
        count=peers.count, programme=peers.programme
    )


def peers_caption(peers: PeerMedians, lang: Language = "en") -> str:
    """What the dashed line is, and why there is no other reference line."""
    _ = gettext_for(lang)
    return _(
        "Dashed line: the median of the latest submitted assessment of {count} other clusters in "
        "{programme}. The sources give no reference score per dimension, so none is drawn."
    ).format(count=peers.count, programme=peers.programme)


def ranks_caption(ranks: PeerRanks, stage_label: str | None, lang: Language = "en") -> str:
    """Which clusters the percentiles compare with, and what a percentile is.

    `stage_label` is the name of the cluster's stage in `lang` (the result's); it says
    why the whole programme is used when its stage has too few clusters.
    """
    _ = gettext_for(lang)
    if ranks.group == "stage":
        return _(
            "Compared with the latest submitted assessment of the {count} other clusters of "
            "{programme} at the {stage} stage. A percentile is the share of them that score "
            "lower; no other cluster is named and no other score is shown."
        ).format(count=ranks.count, programme=ranks.programme, stage=stage_label or "–")
    if stage_label:
        return _(
            "Too few other clusters of {programme} are at the {stage} stage, so this compares "
            "with the latest submitted assessment of all {count} of its other clusters. A "
            "percentile is the share of them that score lower; no other cluster is named and "
            "no other score is shown."
        ).format(count=ranks.count, programme=ranks.programme, stage=stage_label)
    return _(
        "Compared with the latest submitted assessment of all {count} other clusters of "
        "{programme}. A percentile is the share of them that score lower; no other cluster "
        "is named and no other score is shown."
    ).format(count=ranks.count, programme=ranks.programme)


def index_meaning(overall: float | None, lang: Language = "en") -> str:
    """A plain sentence, in `lang`, on what a sustainability index means.

    The bands are the app's reading aid, set on the questionnaire's scales (25 points per
    maturity level: level 3, "in place and documented", scores 75); they are not a rule of
    the sources, which give no pass mark for a cluster.
    """
    _ = gettext_for(lang)
    if overall is None:
        return _("There is no index yet: answer at least one scored question.")
    if overall < 40:
        return _(
            "Fragile: most answers sit at the lowest levels (none or informal), or a failed "
            "precondition or a high red flag holds the index down. Clusters like this closed "
            "when public support ended, as many Spanish AEI clusters did (002 s6.1)."
        )
    if overall < 60:
        return _(
            "Partly in place: some practices are in place, but funding, value offer or "
            "governance still depend on a few people or on public money."
        )
    if overall < 75:
        return _(
            "On the way: most practices are in place, some not yet documented or measured. "
            "The action plan says where to work first."
        )
    return _(
        "Established: the practices are in place and documented (level 3 or more of the "
        "scales) with no high red flag. The strengths below are worth keeping."
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
