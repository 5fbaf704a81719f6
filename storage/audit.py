"""The audit trail as read back: who changed what in an assessment or a cluster, and when.

Rows are written by each aggregate inside its own transaction (`storage.session._audit`),
so a change and its audit row commit together; this module names the actions and reads them.
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    select,
)
from sqlalchemy.orm import Session

from storage.models import AuditEvent
from storage.session import (
    AuditEntry,
    _get_assessment,
    _get_cluster,
)
from storage.transactions import Database

# Actions written to the audit trail by the cluster, answer and result aggregates.
RENAME_CLUSTER = "rename_cluster"
START = "start"
SAVE = "save"
DELETE = "delete"
IMPORT = "import"
SUBMIT = "submit"
NEW_VERSION = "new_version"
RESCORE = "rescore"
IMPORT_ROUND = "import_round"


class AuditLog(Database):
    """Reading the audit trail."""

    def audit(self, assessment_id: int) -> list[AuditEntry]:
        """The changes made to an assessment, oldest first.

        Raises:
            NotFound: when there is no such assessment.
        """
        with self._read() as s:
            _get_assessment(s, assessment_id)
            return _entries(s, AuditEvent.assessment_id == assessment_id)

    def cluster_audit(self, cluster_id: int) -> list[AuditEntry]:
        """The changes made to a cluster and all its assessments, oldest first.

        Raises:
            NotFound: when there is no such cluster.
        """
        with self._read() as s:
            _get_cluster(s, cluster_id)
            return _entries(s, AuditEvent.cluster_id == cluster_id)


def _entries(s: Session, where: ColumnElement[bool]) -> list[AuditEntry]:
    rows = s.scalars(select(AuditEvent).where(where).order_by(AuditEvent.id)).all()
    return [AuditEntry(e.at, e.actor, e.action, e.field, e.old, e.new, e.assessment_id) for e in rows]
