"""Bounds on what one input file may cost to read: ZIP members and their
inflated sizes (zip bombs), XML depth and entity declarations in a DOCX, HTML
nesting, PDF pages and page sizes, image pixels.

``InputLimits`` holds the bounds; ``current_limits()`` is the set in force,
read by every ingest module. The CLI calls ``set_limits`` once before a batch
(workers are forked and inherit it); without that, the defaults apply, each
overridable by an environment variable (``BIENCHE_MAX_PAGES`` …, see
``ENV_NAMES``). Every refusal is an ``IngestError`` with its own ``E_LIMIT_*``
code and a message naming the file, the limit and the option that raises it.
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from dataclasses import asdict, dataclass, fields, replace

from extractor.errors import (
    E_LIMIT_HTML_DEPTH,
    E_LIMIT_INFLATED,
    E_LIMIT_PAGE_SIZE,
    E_LIMIT_PAGES,
    E_LIMIT_PIXELS,
    E_LIMIT_RATIO,
    E_LIMIT_XML,
    E_LIMIT_ZIP_MEMBERS,
    IngestError,
)


@dataclass(frozen=True)
class InputLimits:
    """The bounds one file is read under (see the module docstring)."""

    max_zip_members: int = 5_000
    """Members of a DOCX package."""
    max_member_bytes: int = 100_000_000
    """Inflated size of one ZIP member, as declared and as actually read."""
    max_inflated_bytes: int = 200_000_000
    """Inflated size of all members together."""
    max_ratio: float = 100.0
    """Inflated / compressed size of a member larger than ``RATIO_FLOOR`` bytes."""
    max_xml_depth: int = 200
    """Element nesting in word/document.xml (libxml2 itself stops at 256)."""
    max_html_depth: int = 1_000
    """Nesting of open HTML elements (the HTML parser is quadratic in it)."""
    max_pages: int = 2_000
    """Pages of a PDF."""
    max_page_side_pt: float = 14_400.0
    """Width or height of a PDF page in points (14 400 pt = 200 in, PDF's own limit)."""
    max_pixels: int = 100_000_000
    """Pixels of one image frame, and of a PDF page rendered for OCR."""
    max_frames: int = 500
    """Frames (pages) of one image file."""
    max_total_pixels: int = 1_000_000_000
    """Pixels of all the frames of one image file together."""

    def key(self) -> str:
        """The limits as ``name=value;…``, for a run's settings string."""
        return ";".join(f"{name}={value}" for name, value in asdict(self).items())


RATIO_FLOOR = 1_000_000
"""Members smaller than this are not checked for their compression ratio."""

DEFAULT_LIMITS = InputLimits()

ENV_NAMES: dict[str, str] = {field.name: f"BIENCHE_{field.name.upper()}" for field in fields(InputLimits)}
"""The environment variable that overrides each limit (``BIENCHE_MAX_PAGES`` …)."""

OPTION_NAMES: dict[str, str] = {
    "max_zip_members": "--max-zip-members",
    "max_member_bytes": "--max-inflated-mb",
    "max_inflated_bytes": "--max-inflated-mb",
    "max_ratio": "--max-zip-ratio",
    "max_xml_depth": "--max-xml-depth",
    "max_html_depth": "--max-html-depth",
    "max_pages": "--max-pages",
    "max_page_side_pt": "--max-page-side",
    "max_pixels": "--max-pixels",
    "max_frames": "--max-pages",
    "max_total_pixels": "--max-pixels",
}
"""The CLI option proposed for each limit, named in refusal messages."""

_current: InputLimits | None = None


def from_env(base: InputLimits = DEFAULT_LIMITS, environ: dict[str, str] | None = None) -> InputLimits:
    """``base`` with every limit whose ``BIENCHE_*`` variable is set to a positive number replaced."""
    env = os.environ if environ is None else environ
    changes: dict[str, int | float] = {}
    for field in fields(InputLimits):
        text = env.get(ENV_NAMES[field.name], "").strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            continue
        if value > 0 and math.isfinite(value):
            changes[field.name] = int(value) if field.type in ("int", int) else value
    return replace(base, **changes) if changes else base  # type: ignore[arg-type]


def to_env(limits: InputLimits) -> dict[str, str]:
    """The ``BIENCHE_*`` variables that make ``from_env`` give ``limits`` (for
    workers that are spawned rather than forked)."""
    return {ENV_NAMES[name]: str(value) for name, value in asdict(limits).items()}


def set_limits(limits: InputLimits | None) -> None:
    """Make ``limits`` the set in force in this process (and the workers it forks);
    None goes back to the defaults and the environment."""
    global _current
    _current = limits


def current_limits() -> InputLimits:
    """The limits in force: those set by ``set_limits``, else the defaults with the environment's overrides."""
    return _current if _current is not None else from_env()


def _refuse(code: str, name: str, what: str, field: str) -> IngestError:
    return IngestError(code, f"{name}: {what}; {OPTION_NAMES[field]} raises the limit")


def _mb(size: float) -> str:
    return f"{size / 1_000_000:.1f} MB"


# --- ZIP packages ----------------------------------------------------------------


def check_zip_entries(archive: zipfile.ZipFile, name: str, limits: InputLimits | None = None) -> None:
    """Refuse a package with too many members, or members whose declared inflated
    size or compression ratio is too large (a zip bomb), before inflating anything."""
    limits = limits or current_limits()
    entries = archive.infolist()
    if len(entries) > limits.max_zip_members:
        raise _refuse(E_LIMIT_ZIP_MEMBERS, name, f"the package has {len(entries):,} members "
                      f"(the limit is {limits.max_zip_members:,})", "max_zip_members")
    total = 0
    for entry in entries:
        if entry.file_size > limits.max_member_bytes:
            raise _refuse(E_LIMIT_INFLATED, name, f"member {entry.filename} would inflate to {_mb(entry.file_size)} "
                          f"(the limit is {_mb(limits.max_member_bytes)})", "max_member_bytes")
        if entry.file_size > RATIO_FLOOR and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
            ratio = entry.file_size / max(entry.compress_size, 1)
            raise _refuse(E_LIMIT_RATIO, name, f"member {entry.filename} is compressed {ratio:,.0f} to 1 "
                          f"(a zip bomb? the limit is {limits.max_ratio:g})", "max_ratio")
        total += entry.file_size
    if total > limits.max_inflated_bytes:
        raise _refuse(E_LIMIT_INFLATED, name, f"the package inflates to {_mb(total)} "
                      f"(the limit is {_mb(limits.max_inflated_bytes)})", "max_inflated_bytes")


def read_member(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str, budget: int,
                limits: InputLimits | None = None) -> bytes:
    """A member's bytes, inflated in blocks and stopped as soon as they pass the
    member limit or ``budget`` (what is left of the total); zipfile's own CRC and
    size checks run as usual."""
    limits = limits or current_limits()
    cap = min(limits.max_member_bytes, budget)
    parts: list[bytes] = []
    size = 0
    with archive.open(entry) as handle:
        while block := handle.read(1 << 20):
            size += len(block)
            if size > cap:
                field = "max_member_bytes" if cap == limits.max_member_bytes else "max_inflated_bytes"
                raise _refuse(E_LIMIT_INFLATED, name, f"member {entry.filename} inflates to more than "
                              f"{_mb(cap)} (the limit)", field)
            parts.append(block)
    return b"".join(parts)


# --- XML (DOCX) --------------------------------------------------------------------

_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_xml(data: bytes, name: str, member: str, limits: InputLimits | None = None) -> None:
    """Refuse an XML part that declares a DTD or entities (Word never writes one:
    external entities and entity expansion are ways to attack a parser) or whose
    elements nest deeper than the limit."""
    from lxml import etree

    limits = limits or current_limits()
    if _DECLARATION.search(data):
        raise IngestError(E_LIMIT_XML, f"{name}: {member} declares a DTD or entities, which a DOCX never "
                          "needs (refused: entity expansion and external entities are ways to attack a reader)")
    too_deep = _refuse(E_LIMIT_XML, name, f"{member} nests elements more than {limits.max_xml_depth} deep",
                       "max_xml_depth")
    depth = 0
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False)
    try:
        for start in range(0, len(data), 1 << 20):
            parser.feed(data[start : start + (1 << 20)])
            for event, _element in parser.read_events():
                depth += 1 if event == "start" else -1
                if depth > limits.max_xml_depth:
                    raise too_deep
        parser.close()
    except etree.XMLSyntaxError as exc:
        if "Excessive depth" in str(exc):  # libxml2's own limit (256)
            raise too_deep from None
        return  # python-docx reports the damage itself (E_DOCX_CORRUPT)


# --- HTML --------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)|<!--")
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "plaintext", "noscript"})
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont bgsound frame keygen".split()
)
_SELF_CLOSING = frozenset("p li dt dd option optgroup tr td th rb rt rp thead tbody tfoot colgroup".split())
"""Elements whose next sibling closes them: not counted as nesting."""
_FLAT = _VOID | _SELF_CLOSING


def html_depth(html: str, stop: int | None = None) -> int:
    """An estimate of how deep the page's elements nest (open elements at the
    deepest point: void and self-closing elements, comments and script bodies
    skipped), in one linear scan; stops counting once past ``stop``."""
    stack: list[str] = []
    open_count: dict[str, int] = {}
    deepest = 0
    skip_to = 0
    for match in _TAG.finditer(html):
        if match.start() < skip_to:
            continue
        closing, tag = match.group(1), match.group(2)
        if tag is None:  # a comment
            end = html.find("-->", match.end())
            skip_to = len(html) if end < 0 else end + 3
            continue
        tag = tag.lower()
        if tag in _FLAT:
            continue
        if closing:
            if open_count.get(tag):
                while (top := stack.pop()) != tag:
                    open_count[top] -= 1
                open_count[tag] -= 1
        elif tag in _RAW_TEXT:
            end = _find_close(html, tag, match.end())
            skip_to = len(html) if end < 0 else end
        else:
            stack.append(tag)
            open_count[tag] = open_count.get(tag, 0) + 1
            if len(stack) > deepest:
                deepest = len(stack)
                if stop is not None and deepest > stop:
                    break
    return deepest


_CLOSERS = {tag: re.compile(f"</{tag}", re.IGNORECASE) for tag in _RAW_TEXT}


def _find_close(html: str, tag: str, position: int) -> int:
    """Where ``</tag`` next appears (any case) from ``position``, or -1."""
    match = _CLOSERS[tag].search(html, position)
    return -1 if match is None else match.start()


def check_html(html: str, name: str, limits: InputLimits | None = None) -> None:
    """Refuse a page whose elements nest deeper than the limit, before parsing it."""
    limits = limits or current_limits()
    if html_depth(html, stop=limits.max_html_depth) > limits.max_html_depth:
        raise _refuse(E_LIMIT_HTML_DEPTH, name, f"the page nests elements more than {limits.max_html_depth} deep",
                      "max_html_depth")


# --- PDF and images ------------------------------------------------------------------


def check_pdf_pages(count: int, sizes: list[tuple[float, float]], name: str, limits: InputLimits | None = None) -> None:
    """Refuse a PDF with too many pages or a page larger than the limit (points)."""
    limits = limits or current_limits()
    if count > limits.max_pages:
        raise _refuse(E_LIMIT_PAGES, name, f"the PDF has {count:,} pages (the limit is {limits.max_pages:,})",
                      "max_pages")
    for number, (width, height) in enumerate(sizes, start=1):
        if not (0 < width <= limits.max_page_side_pt and 0 < height <= limits.max_page_side_pt):
            raise _refuse(E_LIMIT_PAGE_SIZE, name, f"page {number} is {width:,.0f} x {height:,.0f} points "
                          f"(the limit is {limits.max_page_side_pt:,.0f} a side)", "max_page_side_pt")


def render_scale(width_pt: float, height_pt: float, dpi: float, limits: InputLimits | None = None) -> float:
    """The scale to render a page at: ``dpi`` / 72, lowered so that the image
    stays within the pixel limit."""
    limits = limits or current_limits()
    scale = dpi / 72.0
    area = max(width_pt, 1.0) * max(height_pt, 1.0)
    if area * scale * scale > limits.max_pixels:
        scale = math.sqrt(limits.max_pixels / area)
    return scale


def check_pixels(width: int, height: int, name: str, frame: int, total: int,
                 limits: InputLimits | None = None) -> None:
    """Refuse an image frame over the pixel limit, or frames over the total (``total``
    counts the frames so far, this one included)."""
    limits = limits or current_limits()
    where = f"frame {frame}" if frame > 1 else "the image"
    if width * height > limits.max_pixels:
        raise _refuse(E_LIMIT_PIXELS, name, f"{where} is {width:,} x {height:,} pixels "
                      f"(the limit is {limits.max_pixels / 1e6:g} Mpixel)", "max_pixels")
    if total > limits.max_total_pixels:
        raise _refuse(E_LIMIT_PIXELS, name, f"the frames hold more than {limits.max_total_pixels / 1e6:g} "
                      "Mpixel together (the limit)", "max_total_pixels")


def check_frames(count: int, name: str, limits: InputLimits | None = None) -> None:
    """Refuse an image file with more frames than the limit."""
    limits = limits or current_limits()
    if count > limits.max_frames:
        raise _refuse(E_LIMIT_PAGES, name, f"more than {limits.max_frames:,} pages in one image file",
                      "max_frames")
