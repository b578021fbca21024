"""Long inputs on a trained pipeline go through nlp.pipe paragraph by paragraph and are joined
again: the same text, tokens and offsets, so every finding still points at its words."""

from __future__ import annotations

import sys
from pathlib import Path

from linter.engine.pipeline import make_doc, paragraph_pieces

from .conftest import get_linter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus  # noqa: E402

TEXT = "\n\n   ".join(corpus.generate_replies(60, seed=3)) + "\n\n\n  \nMet vriendelijke groet,\nAnna\n"


def findings(report) -> list[tuple]:
    return sorted((f.rule, f.start, f.end, f.text) for f in report.findings)


def test_pieces_join_to_the_text_and_end_after_a_blank_line() -> None:
    pieces = paragraph_pieces(TEXT, 500)
    assert "".join(pieces) == TEXT and len(pieces) > 10
    assert all(piece.rstrip(" \t").endswith("\n") for piece in pieces[:-1])
    assert all(not piece[0].isspace() for piece in pieces)
    assert paragraph_pieces("één alinea zonder witregel", 5) == ["één alinea zonder witregel"]


def test_a_joined_doc_is_the_whole_doc_on_the_embedded_pipeline() -> None:
    nlp = get_linter("embedded").nlp
    whole, joined = nlp(TEXT), make_doc(nlp, TEXT, by_paragraph=True, threshold=100)
    assert joined.text == TEXT
    assert [(t.text, t.idx, t.norm_, t.is_sent_start) for t in joined] == [(t.text, t.idx, t.norm_, t.is_sent_start) for t in whole]


def test_long_input_on_a_trained_pipeline_keeps_every_position(any_linter, monkeypatch) -> None:
    import linter.api

    whole = findings(any_linter.lint(TEXT))
    monkeypatch.setattr(linter.api, "make_doc", lambda nlp, text, by_paragraph: make_doc(nlp, text, True, threshold=100))
    report = any_linter.lint(TEXT)
    assert report.findings and all(TEXT[f.start:f.end] == f.text for f in report.findings)
    assert all(TEXT[e.start:e.end] == e.text for e in report.elements)
    # On this text the paragraph-by-paragraph parse finds exactly what the whole parse finds.
    assert findings(report) == whole
