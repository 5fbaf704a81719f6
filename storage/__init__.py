"""Storage of clusters, assessments, answers, results and the audit trail (SQLAlchemy)."""

from storage.demo import demo_enabled, load_demo
from storage.errors import FrozenAssessment, InvalidValue, NotFound, NotSubmitted, StorageError
from storage.store import AssessmentInfo, AuditEntry, ClusterInfo, Store

__all__ = [
    "AssessmentInfo",
    "AuditEntry",
    "ClusterInfo",
    "FrozenAssessment",
    "InvalidValue",
    "NotFound",
    "NotSubmitted",
    "StorageError",
    "Store",
    "demo_enabled",
    "load_demo",
]
