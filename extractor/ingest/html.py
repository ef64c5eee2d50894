"""HTML pages (.html, .htm): the article's text, without menus, widgets and
related-news lists.

The page is decoded (BOM, ``<meta charset>``, then the text-file decoder), the
chrome elements are removed, the article container is chosen (``article``,
``main`` or an element whose id/class says content/detail/article/post, the one
with the most text outside links), and its blocks become lines; table cells are
joined with " | ". A related-news heading ("Các tin khác" ...) and everything
after it are cut (``patterns/boilerplate.yaml``). A page nesting elements
deeper than the input limit is refused before parsing (E_LIMIT_HTML_DEPTH:
the parser's time grows with the square of the depth).
"""

from __future__ import annotations

from collections.abc import Iterator

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extractor.errors import E_HTML, IngestError
from extractor.ingest.limits import check_html
from extractor.ingest.boilerplate import cut_boilerplate_tail, is_marker_line
from extractor.ingest.txt import decode_bytes, fix_legacy_text
from extractor.models import FileError, RawText

_CHROME = "script, style, noscript, nav, footer, aside, form, iframe, svg, template, button, select"
_BLOCKS = frozenset(
    "address article blockquote caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer h1 h2 h3 h4 h5 h6 header hr legend li main menu ol p pre "
    "section summary table tbody thead tfoot tr ul".split()
)
_CELLS = frozenset({"td", "th"})
MAX_SPAN = 50
"""A colspan or rowspan beyond this is markup noise, not a grid."""
_CONTAINER_WORDS = ("content", "detail", "article", "news-body", "newsbody", "post", "entry", "story")
_NOT_CONTAINER = ("comment", "related", "sidebar", "footer", "header", "menu", "nav", "share", "banner")
_RELATED = re.compile(
    r"related|relate-|tin-?lien-?quan|tin-?khac|other-?news|more-?news|same-?cat|box-?news|news-?other",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\n\r\f]+")
_CODEC_ALIASES = {"windows-1258": "cp1258", "x-user-defined": "latin-1"}


def _decode(data: bytes, name: str) -> tuple[str, str, list[FileError]]:
    """The page's text: BOM first, then ``<meta charset>``, then the text decoder."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data, name)
    match = _META_CHARSET.search(data[:4096])
    if match:
        label = match.group(1).decode("ascii", "replace").lower()
        codec = _CODEC_ALIASES.get(label, label)
        try:
            text = data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            return unicodedata.normalize("NFC", text), codecs.lookup(codec).name, []
    return decode_bytes(data, name)


@dataclass
class _Line:
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    chars: int = 0


@dataclass
class _Writer:
    """Collects text runs into lines, noting how much of each line is link text."""

    lines: list[tuple[str, bool]] = field(default_factory=list)
    current: _Line = field(default_factory=_Line)

    def text(self, run: str, in_link: bool) -> None:
        run = _SPACE.sub(" ", run)
        if not run.strip():
            if self.current.parts and run:
                self.current.parts.append(" ")
            return
        self.current.parts.append(run)
        size = len(run.strip())
        self.current.chars += size
        if in_link:
            self.current.link_chars += size

    def line(self, text: str, link_only: bool) -> None:
        self.newline()
        if text:
            self.lines.append((text, link_only))

    def newline(self) -> None:
        text = "".join(self.current.parts).strip()
        if text:
            only_links = self.current.link_chars >= self.current.chars > 0
            self.lines.append((text, only_links))
        self.current = _Line()


def _span(cell: LexborNode, name: str) -> int:
    value = (cell.attributes.get(name) or "1").strip()
    return max(1, min(int(value), MAX_SPAN)) if value.isdigit() else 1


def _row(tr: LexborNode, below: dict[int, int]) -> tuple[str, bool]:
    """(the row as "cell | cell", whether all its text is link text). A cell spanning
    columns (``colspan``) gives its text to its first column and "" to the others, one
    spanning rows (``rowspan``) "" to its column in the rows below, as Word's merged
    cells read (ingest/docx.py); ``below`` counts the rows each column is still taken."""
    cells: list[str] = []
    link_only = True
    column = 0
    for cell in tr.iter():
        if cell.tag not in _CELLS:
            continue
        while below.get(column, 0) > 0:
            below[column] -= 1
            cells.append("")
            column += 1
        lines = _walk(cell)
        width, height = _span(cell, "colspan"), _span(cell, "rowspan")
        cells += [" ".join(text for text, _ in lines)] + [""] * (width - 1)
        for taken in range(column, column + width):
            if height > 1:
                below[taken] = height - 1
        column += width
        link_only = link_only and all(only for _, only in lines)
    while any(n > 0 for c, n in below.items() if c >= column):
        if below.get(column, 0) > 0:
            below[column] -= 1
        cells.append("")
        column += 1
    text = " | ".join(cells) if any(cells) else ""
    return text, link_only and bool(text)


def _table_of(tr: LexborNode) -> int:
    """The ``mem_id`` of the table a row belongs to (0 for a stray row)."""
    return next((a.mem_id for a in _ancestors(tr) if a.tag == "table"), 0)


def _walk(root: LexborNode) -> list[tuple[str, bool]]:
    """(line, made only of link text) for every block under ``root``, in order."""
    writer = _Writer()
    spans: dict[int, dict[int, int]] = {}
    stack: list[tuple[LexborNode, bool, bool]] = [(root, False, False)]
    while stack:
        node, in_link, closing = stack.pop()
        tag = node.tag or ""
        if closing:
            writer.newline()
            continue
        if tag == "-text":
            writer.text(node.text_content or "", in_link)
            continue
        if tag.startswith("-") or node.is_comment_node:
            continue
        if tag == "br":
            writer.newline()
            continue
        if tag == "tr":
            writer.line(*_row(node, spans.setdefault(_table_of(node), {})))
            continue
        block = tag in _BLOCKS
        if block:
            writer.newline()
            stack.append((node, in_link, True))
        children = list(node.iter(include_text=True))
        for child in reversed(children):
            stack.append((child, in_link or tag == "a", False))
    writer.newline()
    return writer.lines


def _class_words(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()


def _scores(node: LexborNode) -> tuple[int, int]:
    """(characters of text outside links, number of links)."""
    total = len(_SPACE.sub("", node.text()))
    links = node.css("a")
    link_text = sum(len(_SPACE.sub("", a.text())) for a in links)
    return total - link_text, len(links)


def _is_candidate(node: LexborNode) -> bool:
    if node.tag in ("article", "main"):
        return True
    words = _class_words(node)
    return any(w in words for w in _CONTAINER_WORDS) and not any(w in words for w in _NOT_CONTAINER)


def _contains(outer: LexborNode, inner: LexborNode) -> bool:
    parent = inner.parent
    while parent is not None:
        if parent.mem_id == outer.mem_id:
            return True
        parent = parent.parent
    return False


def choose_container(tree: LexborHTMLParser) -> LexborNode | None:
    """The element holding the article: the candidate with most non-link text and
    fewest links, preferring an inner candidate that holds most of an outer one's
    text; the body when no candidate holds a fair share of the page's text."""
    body = tree.body
    candidates = [n for n in tree.css("article, main, [id], [class]") if _is_candidate(n)]
    scored = [(n, *_scores(n)) for n in candidates]
    scored = [item for item in scored if item[1] >= 80]
    if not scored or body is None:
        return body
    scored.sort(key=lambda item: (-item[1], item[2]))
    best, best_text, _ = scored[0]
    if best_text < 0.25 * _scores(body)[0]:
        return body
    improved = True
    while improved:
        improved = False
        for node, text, _links in scored:
            if node.mem_id != best.mem_id and text >= 0.7 * best_text and _contains(best, node):
                best, best_text, improved = node, text, True
                break
    return best


def _remove(nodes: list[LexborNode]) -> None:
    """Decompose ``nodes``, outermost only (a node inside another goes with it)."""
    ids = {node.mem_id for node in nodes}
    outermost = [node for node in nodes if not _has_ancestor(node, ids)]
    for node in outermost:
        node.decompose()


def _ancestors(node: LexborNode) -> Iterator[LexborNode]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _has_ancestor(node: LexborNode, ids: set[int]) -> bool:
    return any(parent.mem_id in ids for parent in _ancestors(node))


def _drop_related_boxes(container: LexborNode) -> None:
    boxes = [
        node
        for node in container.css("[id], [class]")
        if node.mem_id != container.mem_id and _RELATED.search(_class_words(node))
    ]
    _remove(boxes)


def _assemble(lines: list[tuple[str, bool]]) -> str:
    """Lines joined; a related-news heading in the first half drops with the link
    lines after it (an inline box), in the last half cuts the rest."""
    half = sum(len(text) + 1 for text, _ in lines) / 2
    kept: list[str] = []
    length = 0
    skipping = False
    for text, link_only in lines:
        if skipping and link_only:
            continue
        skipping = False
        if length < half and is_marker_line(text):
            skipping = True
            continue
        kept.append(text)
        length += len(text) + 1
    return cut_boilerplate_tail("\n".join(kept))


def html_to_text(html: str) -> str:
    """The article text of an HTML page, one line per block."""
    tree = LexborHTMLParser(html)
    _remove(tree.css(_CHROME))
    _remove([node for node in tree.css("header") if not _inside(node, ("article", "main"))])
    _remove(tree.css('[hidden], [aria-hidden="true"]'))
    container = choose_container(tree)
    if container is None:
        return ""
    _drop_related_boxes(container)
    return _assemble(_walk(container))


def _inside(node: LexborNode, tags: tuple[str, ...]) -> bool:
    return any(parent.tag in tags for parent in _ancestors(node))


def read_html(path: Path, data: bytes) -> RawText:
    """An HTML file's article text (see the module docstring)."""
    text, encoding, warnings = _decode(data, path.name)
    check_html(text, path.name)
    try:
        body = html_to_text(text)
    except (ValueError, RuntimeError) as exc:
        raise IngestError(E_HTML, f"{path.name}: cannot parse the HTML ({exc})") from exc
    body, legacy = fix_legacy_text(body, path.name)
    return RawText(text=body, format="html", encoding=encoding, warnings=warnings + legacy)
