"""Storage of clusters, assessments, answers, results, accounts, reviews, evidence and the audit trail."""

import storage.evidence_models  # noqa: F401  (its tables join the metadata before any store opens)
from storage.access import UserStore
from storage.accounts import ROLES, User
from storage.demo import demo_accounts, demo_enabled, load_demo
from storage.errors import (
    AlreadyExists,
    Forbidden,
    FrozenAssessment,
    InvalidFile,
    InvalidTransition,
    InvalidValue,
    NotFound,
    NotSubmitted,
    StorageError,
)
from storage.programme_records import ProgrammeInfo
from storage.review import CommentInfo, ReviewStatus
from storage.store import AssessmentInfo, AuditEntry, ClusterInfo, Store
from storage.surveys import Invitation, SurveyInfo, SurveyRefused

__all__ = [
    "ROLES",
    "AlreadyExists",
    "AssessmentInfo",
    "AuditEntry",
    "ClusterInfo",
    "CommentInfo",
    "Forbidden",
    "FrozenAssessment",
    "InvalidFile",
    "InvalidTransition",
    "InvalidValue",
    "Invitation",
    "NotFound",
    "NotSubmitted",
    "ProgrammeInfo",
    "ReviewStatus",
    "StorageError",
    "Store",
    "SurveyInfo",
    "SurveyRefused",
    "User",
    "UserStore",
    "demo_accounts",
    "demo_enabled",
    "load_demo",
]
