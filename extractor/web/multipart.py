"""A streaming ``multipart/form-data`` reader: file parts go straight into an :class:`Intake`.

Nothing is buffered in memory beyond one chunk and one part's headers (at most
16 KB); fields that are not files are ignored. Parsing and writing run in a
worker thread so the server keeps answering while a large upload arrives.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.requests import ClientDisconnect
from starlette.types import Receive
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

from extractor.web.uploads import Intake, UploadError

MAX_HEADER_BYTES = 16_384


class Body:
    """A request body read from ASGI ``receive``, knowing whether it has all arrived."""

    def __init__(self, receive: Receive) -> None:
        self.receive = receive
        self.complete = False

    async def _next(self) -> bytes:
        message = await self.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        self.complete = not message.get("more_body", False)
        body: bytes = message.get("body", b"")
        return body

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body's chunks as they arrive."""
        while not self.complete:
            yield await self._next()

    async def drain(self, limit: int) -> None:
        """Read and drop the rest of a refused body (at most ``limit`` bytes), so the
        client, still sending, gets to read the answer."""
        seen = 0
        try:
            while not self.complete and seen < limit:
                seen += len(await self._next())
        except ClientDisconnect:
            return


class _Parts:
    """The parser's callbacks: headers of the current part, then its data into the intake."""

    def __init__(self, intake: Intake) -> None:
        self.intake = intake
        self.headers: dict[bytes, bytes] = {}
        self.field = b""
        self.value = b""
        self.header_bytes = 0
        self.is_file = False

    def _grow(self, n: int) -> None:
        self.header_bytes += n
        if self.header_bytes > MAX_HEADER_BYTES:
            raise UploadError(400, "phần đầu (header) của một tệp gửi lên quá dài")

    def on_part_begin(self) -> None:
        self.headers, self.header_bytes, self.is_file = {}, 0, False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._grow(end - start)
        self.field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._grow(end - start)
        self.value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.field.lower()] = self.value
        self.field = self.value = b""

    def on_headers_finished(self) -> None:
        disposition = self.headers.get(b"content-disposition", b"").decode("latin-1")
        _kind, options = parse_options_header(disposition)
        filename = options.get(b"filename")
        if filename:  # an empty file input sends filename=""
            self.is_file = True
            self.intake.begin(filename.decode("utf-8", errors="replace"))

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.is_file:
            self.intake.write(data[start:end])

    def on_part_end(self) -> None:
        if self.is_file:
            self.intake.end()
            self.is_file = False


async def read_upload(content_type: str | None, stream: AsyncIterator[bytes], intake: Intake) -> None:
    """Feed a multipart body from ``stream`` into ``intake``; :class:`UploadError` (400,
    413) on a body that is not multipart or breaks the intake's limits."""
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadError(400, "hãy gửi tệp dạng multipart/form-data (trường 'files')")
    parts = _Parts(intake)
    parser = MultipartParser(
        boundary,
        callbacks={
            "on_part_begin": parts.on_part_begin, "on_header_field": parts.on_header_field,
            "on_header_value": parts.on_header_value, "on_header_end": parts.on_header_end,
            "on_headers_finished": parts.on_headers_finished, "on_part_data": parts.on_part_data,
            "on_part_end": parts.on_part_end,
        },
    )  # fmt: skip
    try:
        async for chunk in stream:
            if chunk:
                await run_in_threadpool(parser.write, chunk)
        await run_in_threadpool(parser.finalize)
    except MultipartParseError as error:
        raise UploadError(400, f"dữ liệu gửi lên không đúng dạng multipart ({error})") from error
    finally:
        intake.close()
