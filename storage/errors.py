"""Errors of the storage layer: each names the cluster or assessment it is about."""

from __future__ import annotations

from assessment.errors import AssessmentError


class StorageError(AssessmentError):
    """Base of the errors the store raises on purpose."""


class NotFound(StorageError):
    """No cluster, assessment, programme or user with the given id (or name)."""

    def __init__(self, kind: str, ident: int | str) -> None:
        self.kind = kind
        self.id = ident
        super().__init__(f"{kind} {ident} not found")


class FrozenAssessment(StorageError):
    """A submitted assessment cannot change; start a new version to change its answers."""

    def __init__(self, assessment_id: int, number: int | None = None) -> None:
        self.assessment_id = assessment_id
        which = f"assessment {assessment_id}" + (f" (version {number})" if number is not None else "")
        super().__init__(
            f"{which} is submitted and cannot be changed; start a new version to change its answers"
        )


class NotSubmitted(StorageError):
    """An operation that needs a submitted assessment was given a draft."""

    def __init__(self, assessment_id: int, what: str) -> None:
        self.assessment_id = assessment_id
        super().__init__(f"assessment {assessment_id} is a draft: submit it before {what}")


class InvalidValue(StorageError):
    """A value the store cannot keep (not JSON, a wrong type, an empty name...)."""

    def __init__(self, field: str, message: str, assessment_id: int | None = None) -> None:
        self.field = field
        self.assessment_id = assessment_id
        where = f"assessment {assessment_id}: " if assessment_id is not None else ""
        super().__init__(f"{where}{field}: {message}")


class AlreadyExists(StorageError):
    """A user or programme with this name exists already."""

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        self.id = ident
        super().__init__(f"{kind} {ident} already exists")


class Forbidden(StorageError):
    """The user may not do this to this object (or the account is disabled); names both."""

    def __init__(
        self, username: str, action: str, kind: str, ident: int | str | None = None, reason: str = ""
    ) -> None:
        self.username = username
        self.action = action
        self.kind = kind
        self.id = ident
        what = kind if ident is None else f"{kind} {ident}"
        super().__init__(f"user {username} may not {action} {what}" + (f": {reason}" if reason else ""))


class InvalidTransition(StorageError):
    """A review status change the workflow does not allow (e.g. accepting a returned assessment)."""

    def __init__(self, assessment_id: int, old: str, new: str) -> None:
        self.assessment_id = assessment_id
        self.old = old
        self.new = new
        was, becomes = old.replace("_", " "), new.replace("_", " ")
        super().__init__(f"assessment {assessment_id} is {was}: it cannot become {becomes}")


class InvalidFile(InvalidValue):
    """An uploaded file the store does not keep (wrong type by its bytes, empty, too large); names it."""

    def __init__(
        self, filename: str, message: str, assessment_id: int | None = None, question_id: str | None = None
    ) -> None:
        self.filename = filename
        self.question_id = question_id
        where = f" (evidence for {question_id})" if question_id else ""
        super().__init__("file", f"{filename!r}{where}: {message}", assessment_id)
