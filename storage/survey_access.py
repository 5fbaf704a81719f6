"""The members' survey as one signed-in user may run it: a manager on their drafts, an officer reading.

Part of `storage.access.UserStore`; every call passes the same checks (`storage.rights`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from storage import surveys
from storage.errors import NotFound
from storage.rights import RightsChecks
from storage.surveys import SurveyInfo


class SurveyAccess(RightsChecks):
    """Opening, extending, closing and reading a survey, each checked."""

    def open_survey(
        self, assessment_id: int, closes_on: date, invitations: int, actor: str | None = None
    ) -> tuple[SurveyInfo, list[str]]:
        """Open a members' survey of a draft of a cluster the user manages, with its links' tokens."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        return surveys.open_survey(self.store, assessment_id, closes_on, invitations, actor)

    def add_invitations(self, assessment_id: int, count: int, actor: str | None = None) -> list[str]:
        """More links for the assessment's open survey."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        return surveys.add_invitations(self.store, self._survey_id(assessment_id), count, actor)

    def close_survey(self, assessment_id: int, actor: str | None = None) -> SurveyInfo:
        """Close the assessment's survey before its date."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        return surveys.close_survey(self.store, self._survey_id(assessment_id), actor)

    def survey(self, assessment_id: int) -> SurveyInfo | None:
        """The latest survey of an assessment the user may read."""
        self._check_assessment(assessment_id, "read")
        return surveys.survey_of(self.store, assessment_id)

    def survey_responses(self, assessment_id: int) -> list[dict[str, Any]]:
        """The anonymous responses to the latest survey of an assessment the user may read."""
        self._check_assessment(assessment_id, "read")
        return surveys.survey_responses(self.store, assessment_id)

    def _survey_id(self, assessment_id: int) -> int:
        found = surveys.survey_of(self.store, assessment_id)
        if found is None:
            raise NotFound("survey of assessment", assessment_id)
        return found.id
