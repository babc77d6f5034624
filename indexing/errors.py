"""Domain errors. Each carries a stable machine `code`, an HTTP status and a Spanish message for people.

The service maps them to HTTP in one place (service/errors.py); the CLI prints `detail`.
"""


class CompromisosError(Exception):
    """Base class of every error the project raises on purpose."""

    code = "error"
    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UnsupportedFileType(CompromisosError):
    """The content is not a PDF, plain text, Word (.docx) or OpenDocument text (decided by content, not by name)."""

    code = "unsupported_type"
    status = 415


class EmptyFile(CompromisosError):
    """The upload has no bytes, or only whitespace."""

    code = "empty_file"
    status = 422


class CorruptPdf(CompromisosError):
    """The PDF cannot be parsed (damaged or truncated)."""

    code = "corrupt_pdf"
    status = 422


class EncryptedPdf(CompromisosError):
    """The PDF needs a password to be opened."""

    code = "encrypted_pdf"
    status = 422


class NoTextLayer(CompromisosError):
    """A PDF page has no text layer and OCR cannot read it here (Tesseract or its Spanish data not installed)."""

    code = "needs_ocr"
    status = 422


class NoText(CompromisosError):
    """The record decodes, but holds no words to index (nor anything OCR can read on its scanned pages)."""

    code = "no_text"
    status = 422


class OcrTimeout(CompromisosError):
    """OCR of a scanned page, or of all the scanned pages of a record, took longer than its time budget."""

    code = "ocr_timeout"
    status = 422


class FileTooLarge(CompromisosError):
    """The upload exceeds the configured size limit."""

    code = "file_too_large"
    status = 413


class InvalidMetadata(CompromisosError):
    """The `metadata` field of an upload is not valid."""

    code = "invalid_metadata"
    status = 422


class InvalidQuery(CompromisosError):
    """A query parameter is missing or out of its bounds (e.g. no donor to compare)."""

    code = "invalid_query"
    status = 422


class NotFound(CompromisosError):
    """A document, briefing or commitment id that does not exist."""

    code = "not_found"
    status = 404


class InvalidBriefingEdition(CompromisosError):
    """An edition of a briefing (removals and reordering) that does not fit the stored briefing."""

    code = "invalid_edition"
    status = 422


class UnknownBriefingPoint(InvalidBriefingEdition):
    """An edition names a point id the stored briefing does not have."""

    code = "unknown_point"


class DuplicateBriefingPoint(InvalidBriefingEdition):
    """An edition names the same point twice (a point can only be kept once, never copied)."""

    code = "duplicate_point"


class StoreLocked(CompromisosError):
    """Another process holds the embedded store (one process per data directory)."""

    code = "store_locked"
    status = 503


class EmbedderMismatch(CompromisosError):
    """The collection was built by another embedder or dimension than the one configured."""

    code = "embedder_mismatch"
    status = 500


class ModelNotExported(CompromisosError):
    """EMBEDDER=onnx-e5 is configured but E5_MODEL_DIR holds no complete, current export."""

    code = "model_not_exported"
    status = 500


class StoreUnavailable(CompromisosError):
    """The Qdrant server cannot be reached."""

    code = "store_unavailable"
    status = 503


class Unauthorized(CompromisosError):
    """Authentication is on and the request carries no valid API key."""

    code = "unauthorized"
    status = 401


class Forbidden(CompromisosError):
    """The API key is valid but its scope (or ownership) does not allow the operation."""

    code = "forbidden"
    status = 403


class CsrfFailed(CompromisosError):
    """A write made with the web session cookie (or from another site) without this page's CSRF token."""

    code = "csrf_failed"
    status = 403


class KeyExists(CompromisosError):
    """An API key with that name already exists (or the name is reserved)."""

    code = "key_exists"
    status = 409


class InvalidKeyName(CompromisosError):
    """An API key name or scope that is not valid."""

    code = "invalid_key"
    status = 422
class RecordTooLarge(CompromisosError):
    """The record exceeds one of the size caps (pages, characters, passages). Subclasses name which."""

    code = "record_too_large"
    status = 413


class TooManyPages(RecordTooLarge):
    """The record has more pages than `MAX_RECORD_PAGES`."""

    code = "too_many_pages"


class TooManyChars(RecordTooLarge):
    """The cleaned text of the record has more characters than `MAX_RECORD_CHARS`."""

    code = "too_many_chars"


class TooManyChunks(RecordTooLarge):
    """The record splits into more passages than `MAX_RECORD_CHUNKS`."""

    code = "too_many_chunks"


class DocumentXmlTooLarge(RecordTooLarge):
    """A Word or OpenDocument upload whose XML parts expand beyond `MAX_DOCUMENT_XML_MB` (a ZIP bomb, a huge file)."""

    code = "xml_too_large"


class TooManyTags(InvalidMetadata):
    """The upload metadata has more tags than `MAX_TAGS`."""

    code = "too_many_tags"


class TagTooLong(InvalidMetadata):
    """A tag of the upload metadata is longer than `MAX_TAG_CHARS`."""

    code = "tag_too_long"


class FilenameTooLong(InvalidMetadata):
    """The upload's filename is longer than 255 characters."""

    code = "filename_too_long"


class BodyTooLarge(CompromisosError):
    """A JSON request body exceeds `MAX_JSON_BODY_KB`."""

    code = "body_too_large"
    status = 413


class UnreadableFile(CompromisosError):
    """Reading the upload failed in a way no specific error describes (a defect of the file or of a parser)."""

    code = "unreadable_file"
    status = 422


def domain_cause(exc: BaseException) -> CompromisosError | None:
    """The first `CompromisosError` in the cause/context chain of `exc` (Haystack wraps component errors), if any."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, CompromisosError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class TooManyUploads(CompromisosError):
    """More uploads are in progress than the queue admits (`MAX_PENDING_UPLOADS`); retry after `retry_after` s."""

    code = "too_many_uploads"
    status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class TooManyFailedAttempts(CompromisosError):
    """The client's address sent `AUTH_FAILURES_MAX` wrong keys within `AUTH_FAILURE_WINDOW_S`; retry after
    `retry_after` s."""

    code = "too_many_failed_attempts"
    status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class StoreNeedsMigration(CompromisosError):
    """The data directory holds a store of the other embedded engine (qdrant-client local mode) and none of Edge."""

    code = "store_needs_migration"
    status = 500


class JobInterrupted(CompromisosError):
    """An upload job was queued or running when the service stopped: nothing of it was indexed."""

    code = "job_interrupted"
    status = 503


class MigrationNotPossible(CompromisosError):
    """`python -m indexing migrate`: no local-mode store to move, or an Edge store is already there."""

    code = "migration_not_possible"
    status = 409


class SnapshotInvalid(CompromisosError):
    """`python -m indexing restore`: the file is not a backup of this format, or it is damaged or truncated."""

    code = "invalid_snapshot"
    status = 422


class RestoreTargetNotEmpty(CompromisosError):
    """`python -m indexing restore`: the target data directory or store already holds an archive."""

    code = "restore_target_not_empty"
    status = 409
