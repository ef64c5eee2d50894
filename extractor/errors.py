"""Error and warning codes, defined once. Every message names the file and the problem."""

from __future__ import annotations

from extractor.models import FileError

E_NOT_FOUND = "E_NOT_FOUND"
E_UNREADABLE = "E_UNREADABLE"
E_EMPTY = "E_EMPTY"
E_BINARY = "E_BINARY"
E_TOO_LARGE = "E_TOO_LARGE"
E_UNSUPPORTED = "E_UNSUPPORTED"
E_ENCODING = "E_ENCODING"
E_PDF_CORRUPT = "E_PDF_CORRUPT"
E_PDF_NO_TEXT = "E_PDF_NO_TEXT"
E_PDF_ENCRYPTED = "E_PDF_ENCRYPTED"
E_DOCX_CORRUPT = "E_DOCX_CORRUPT"
E_HTML = "E_HTML"
E_INTERNAL = "E_INTERNAL"
E_TIMEOUT = "E_TIMEOUT"
E_WORKER_DIED = "E_WORKER_DIED"
E_OCR_UNAVAILABLE = "E_OCR_UNAVAILABLE"
E_IMAGE = "E_IMAGE"
E_ENCODING_AMBIGUOUS = "E_ENCODING_AMBIGUOUS"
E_LIMIT = "E_LIMIT"
E_LIMIT_ZIP_MEMBERS = "E_LIMIT_ZIP_MEMBERS"
E_LIMIT_INFLATED = "E_LIMIT_INFLATED"
E_LIMIT_RATIO = "E_LIMIT_RATIO"
E_LIMIT_XML = "E_LIMIT_XML"
E_LIMIT_HTML_DEPTH = "E_LIMIT_HTML_DEPTH"
E_LIMIT_PAGES = "E_LIMIT_PAGES"
E_LIMIT_PAGE_SIZE = "E_LIMIT_PAGE_SIZE"
E_LIMIT_PIXELS = "E_LIMIT_PIXELS"

W_LEGACY_ENCODING = "W_LEGACY_ENCODING"
W_PDF_PARTIAL = "W_PDF_PARTIAL"
W_PDF_PAGE_NO_TEXT = "W_PDF_PAGE_NO_TEXT"
W_NUMBER_MALFORMED = "W_NUMBER_MALFORMED"
W_DECODE_REPLACED = "W_DECODE_REPLACED"
W_OCR_PAGES = "W_OCR_PAGES"
W_OCR_LOW_CONFIDENCE = "W_OCR_LOW_CONFIDENCE"


class IngestError(Exception):
    """A file that cannot be read; carries a code and a message naming the file."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def to_model(self) -> FileError:
        """The error as it appears in a DocumentResult."""
        return FileError(code=self.code, message=self.message)
