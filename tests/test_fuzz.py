"""Fuzzing every format through the whole pipeline (``extract_path``): no
exception escapes, every error has a known code and names the file, no
E_INTERNAL, every mention's text is ``document.text[start:end]``, and each
example finishes in time. Derandomized and sized to run in well under two
minutes on two cores; ``evaluation/fuzz.py`` is the long random run."""

from __future__ import annotations

import functools
import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_LIMIT_S = 15.0


def _load_fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bienche_fuzz", REPO / "evaluation" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bienche_fuzz", module)
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()


@functools.cache
def _seeds() -> dict[str, list[bytes]]:
    seeds: dict[str, list[bytes]] = fuzz.seeds(0)
    return seeds


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _assert_clean(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    problems = fuzz.check(path, EXAMPLE_LIMIT_S)
    assert problems == [], "\n".join(problems)


texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(fuzz.FRAGMENTS), st.text(max_size=6)), max_size=30).map("".join),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258", "cp1252", "latin-1"]


@_settings(120)
@given(texts, st.sampled_from(ENCODINGS), st.sampled_from([".txt", ".md"]))
def test_fuzz_text_any_encoding(tmp_path: Path, text: str, encoding: str, suffix: str) -> None:
    _assert_clean(tmp_path, f"van-ban{suffix}", text.encode(encoding, "replace"))


@_settings(150)
@given(st.binary(max_size=600), st.sampled_from([".txt", ".md", ".html"]))
def test_fuzz_text_any_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    _assert_clean(tmp_path, f"bytes{suffix}", data)


HTML_PARTS = ["<div>", "</div>", "<p>", "</p>", "<table>", "<tr>", "<td>", "</td>", "</tr>", "</table>", "<br>",
              "<article>", "</article>", "<main>", "<nav>", "</nav>", "<script>", "</script>", "<!--", "-->",
              "<a href='x'>", "</a>", "<div class='content'>", "<div class='related'>", "<h2>Các tin khác</h2>",
              "<header>", "</header>", "&amp;", "&#7889;", "<meta charset='cp1258'>", "<li>", "<ul>", "</ul>"]


@_settings(150)
@given(st.lists(st.one_of(st.sampled_from(HTML_PARTS), st.sampled_from(fuzz.FRAGMENTS), st.text(max_size=5)),
                max_size=60).map("".join), st.sampled_from(["utf-8", "cp1258"]))
def test_fuzz_html_tag_soup(tmp_path: Path, html: str, encoding: str) -> None:
    _assert_clean(tmp_path, "trang.html", html.encode(encoding, "replace"))


@_settings(50)
@given(st.randoms(use_true_random=False))
def test_fuzz_docx_random_body(tmp_path: Path, rng: random.Random) -> None:
    _assert_clean(tmp_path, "than.docx", fuzz.docx_with_body(rng, _seeds()[".docx"][0]))


MUTATED = {".txt": 60, ".md": 40, ".html": 60, ".docx": 60, ".pdf": 120, ".png": 8, ".jpg": 8, ".tif": 8}


@pytest.mark.parametrize("suffix", list(MUTATED), ids=list(MUTATED))
def test_fuzz_mutated_file(tmp_path: Path, suffix: str) -> None:
    @_settings(MUTATED[suffix])
    @given(st.randoms(use_true_random=False))
    def run(rng: random.Random) -> None:
        _assert_clean(tmp_path, f"dot-bien{suffix}", fuzz.mutate(rng, suffix, _seeds()[suffix]))

    run()


@_settings(80)
@given(st.integers(min_value=1, max_value=10_000))
def test_fuzz_pdf_cut_anywhere(tmp_path: Path, cut: int) -> None:
    for data in _seeds()[".pdf"]:
        _assert_clean(tmp_path, "cat.pdf", data[: cut % len(data) + 1])


def test_fuzz_check_reports_bad_offsets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check itself catches a mention whose text does not match its offsets."""
    from extractor import pipeline

    real = pipeline.extract_path

    def shifted(path: Path) -> object:
        result = real(path)
        for date in result.dates:
            date.start += 1
        return result

    monkeypatch.setattr(fuzz, "extract_path", shifted)
    path = tmp_path / "lech.txt"
    path.write_text("Kế hoạch ngày 18/7/2022 giao 1.263 biên chế.", encoding="utf-8")
    problems = fuzz.check(path)
    assert problems and "DateMention" in problems[0]


def _tiff_second_frame_without_width() -> bytes:
    """Two-frame TIFF whose second frame's ImageWidth tag is renamed: Pillow raises
    TypeError("Missing dimensions") on seeking to it (found by evaluation/fuzz.py)."""
    import io
    import struct

    from PIL import Image

    out = io.BytesIO()
    frame = Image.new("L", (40, 20), 255)
    frame.save(out, format="TIFF", save_all=True, append_images=[frame])
    data = bytearray(out.getvalue())
    first = struct.unpack_from("<I", data, 4)[0]
    entries = struct.unpack_from("<H", data, first)[0]
    second = struct.unpack_from("<I", data, first + 2 + 12 * entries)[0]
    assert data[second + 2 : second + 4] == b"\x00\x01"  # tag 256, ImageWidth
    data[second + 2 : second + 4] = b"\x88\x88"
    return bytes(data)


REGRESSIONS = {"tiff frame without dimensions": ("hong.tif", _tiff_second_frame_without_width, "E_IMAGE")}


@pytest.mark.parametrize("case", list(REGRESSIONS), ids=list(REGRESSIONS))
def test_fuzz_regression_clear_error(tmp_path: Path, case: str) -> None:
    from extractor.pipeline import extract_path

    name, make, code = REGRESSIONS[case]
    path = tmp_path / name
    path.write_bytes(make())
    result = extract_path(path)
    assert [error.code for error in result.errors] == [code]
    assert result.errors[0].message.startswith(f"{name}: not a readable image")
