"""The mutation evaluation's clean documents: recipes apply, clean texts are consistent."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from extractor.document import document_from_text
from extractor.pipeline import extract_document

REPO = Path(__file__).resolve().parent.parent


def _load_mutations() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutations", REPO / "evaluation" / "mutations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutations", module)
    spec.loader.exec_module(module)
    return module


mutations = _load_mutations()
RECIPES = mutations.recipes()


def _recipe(path: Path) -> dict[str, Any]:
    recipe: dict[str, Any] = mutations.load_recipe(path)
    if not (mutations.SHARED / recipe["source"]).is_file():
        pytest.skip(f"{mutations.SHARED / recipe['source']} not here (no ../shared)")
    return recipe


def test_there_is_a_recipe() -> None:
    assert "dvhc-tinh-2025.recipe.json" in [p.name for p in RECIPES]
    for path in RECIPES:
        recipe = json.loads(path.read_text(encoding="utf-8"))
        assert {"name", "source", "sha256", "keep", "replacements", "relations"} <= recipe.keys()
        assert path.name == f"{recipe['name']}.recipe.json"


def test_missing_source_is_skipped_not_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recipe = mutations.load_recipe(RECIPES[0])
    with pytest.raises(mutations.DocumentUnavailable):
        mutations.clean_document(recipe, shared=tmp_path)
    doc = mutations.CleanDocument("absent", "absent", lambda: mutations.clean_document(recipe, shared=tmp_path), recipe)
    assert mutations.evaluate_document(doc) is None
    assert "skipped" in capsys.readouterr().out


def test_wrong_sha256_is_refused(tmp_path: Path) -> None:
    recipe = mutations.load_recipe(RECIPES[0])
    (tmp_path / recipe["source"]).parent.mkdir(parents=True)
    (tmp_path / recipe["source"]).write_text("not the article\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sha256"):
        mutations.clean_document(recipe, shared=tmp_path)


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_recipe_applies_and_its_arithmetic_holds(path: Path) -> None:
    recipe = _recipe(path)
    text = mutations.clean_document(recipe)
    assert "Link bài viết gốc" not in text and "Nội dung chính" not in text
    assert "**" not in text and not text.startswith("#")
    assert mutations.check_relations(recipe, text) == []


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_clean_text_has_no_error(path: Path) -> None:
    recipe = _recipe(path)
    text = mutations.clean_document(recipe)
    result = extract_document(document_from_text(text, source=recipe["source"]))
    assert [f.message for f in result.findings if f.severity == "error"] == []
