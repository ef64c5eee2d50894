"""Components and the pipeline that runs them, in the manner of spaCy.

A component has a ``name``, declares the layers of the ``AnnotatedDocument`` it
``reads`` and ``writes``, and is called on the document. The pipeline checks
the declarations before it runs anything: every layer a component reads must
have been written by a component before it, so the order is explicit and a
newcomer can insert a stage without reading the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extractor.annotated import AnnotatedDocument


class PipelineError(ValueError):
    """A pipeline whose components' declarations do not fit together."""


@dataclass(frozen=True)
class Component:
    """One stage: ``run(doc)`` writes the layers named in ``writes`` (and nothing else)."""

    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    run: Callable[[AnnotatedDocument], None]
    doc: str = ""

    def __call__(self, document: AnnotatedDocument) -> None:
        """Run the component on ``document`` after checking what it reads is there."""
        missing = [layer for layer in self.reads if not document.has(layer)]
        if missing:
            raise PipelineError(f"component {self.name!r} reads {', '.join(missing)}, which no earlier component wrote")
        self.run(document)
        document.done.append(self.name)


def component(name: str, *, reads: Sequence[str] = (), writes: Sequence[str] = ()) -> Callable[[Callable[[AnnotatedDocument], None]], Component]:
    """Decorator: a function ``f(doc) -> None`` as a named component."""

    def wrap(run: Callable[[AnnotatedDocument], None]) -> Component:
        return Component(name=name, reads=tuple(reads), writes=tuple(writes), run=run, doc=(run.__doc__ or "").strip())

    return wrap


class Pipeline:
    """An ordered list of components, checked once when built."""

    def __init__(self, components: Sequence[Component]) -> None:
        known = set(AnnotatedDocument.layer_names())
        written: set[str] = {"context"}
        for c in components:
            unknown = [layer for layer in (*c.reads, *c.writes) if layer not in known]
            if unknown:
                raise PipelineError(f"component {c.name!r} names unknown layers: {', '.join(unknown)}")
            missing = [layer for layer in c.reads if layer not in written]
            if missing:
                raise PipelineError(f"component {c.name!r} reads {', '.join(missing)} before any component writes it")
            written.update(c.writes)
        self.components = list(components)

    @property
    def names(self) -> list[str]:
        """The components' names, in order."""
        return [c.name for c in self.components]

    def __call__(self, document: AnnotatedDocument) -> AnnotatedDocument:
        """Run every component in order on ``document``."""
        for c in self.components:
            c(document)
        return document
