"""The synthetic corpus of tests/corpus.py: deterministic, sized as asked, and read correctly by the extractor."""

from __future__ import annotations

import pytest

from extract.document import extract_document
from extract.readers import read_document
from tests.corpus import fast_pdf, read_manifest, write_corpus
from transform.arithmetic import computed_rate_pct


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    first = write_corpus(tmp_path / "a", 12, seed=3, appeal_share=0.5, pdf_share=0.2, target_kb=(20, 30))
    write_corpus(tmp_path / "b", 12, seed=3, appeal_share=0.5, pdf_share=0.2, target_kb=(20, 30))
    write_corpus(tmp_path / "c", 12, seed=4, appeal_share=0.5, pdf_share=0.2, target_kb=(20, 30))
    assert [p.name for p in first] == sorted(p.name for p in first)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_sizes_are_in_range(tmp_path):
    paths = write_corpus(tmp_path, 40, seed=1, pdf_share=0.0, target_kb=(20, 150))
    sizes = [p.stat().st_size for p in paths]
    assert all(20 * 1024 <= size <= 150 * 1024 for size in sizes), sorted(sizes)[:3] + sorted(sizes)[-3:]
    assert max(sizes) - min(sizes) > 60 * 1024  # spread over the range, not all one size
    assert all(p.read_text(encoding="utf-8").count("Punkt ") >= 5 for p in paths)


def test_appeal_and_pdf_shares_are_about_right(tmp_path):
    paths = write_corpus(tmp_path, 400, seed=2, appeal_share=0.25, pdf_share=0.0, target_kb=(4, 6))
    assert len(paths) == 400
    assert 0.18 <= len(read_manifest(tmp_path)) / 400 <= 0.32
    pdfs = write_corpus(tmp_path / "pdf", 200, seed=2, appeal_share=0.0, pdf_share=0.1, target_kb=(3, 4))
    assert 0.05 <= sum(p.suffix == ".pdf" for p in pdfs) / 200 <= 0.15


def test_fast_pdf_is_a_real_pdf_with_the_text_and_pages():
    lines = [f"Linje {i}: Ældre og børn – “citat” æøå ÆØÅ." for i in range(120)]
    text = "Socialudvalget\nMødedato: 4. maj 2022\nRødovre Kommune\n" + "\n".join(lines)
    doc = read_document("x.pdf", fast_pdf(text))
    assert doc.format == "pdf" and len(doc.page_starts) == 3  # 123 lines at 52 a page
    assert "Rødovre Kommune" in doc.text and all(line in doc.text for line in lines)
    assert "Side 1 af 3" not in doc.text  # the footer is a running line the reader drops


def _rate_matches(stat, truth) -> bool:
    digits = 1 if truth["rate_pct"] % 1 else 0
    computed = computed_rate_pct(stat)
    candidates = [stat.reported_rate_pct, None if computed is None else round(computed + 1e-9, digits)]
    return any(value is not None and abs(value - truth["rate_pct"]) < 0.051 for value in candidates)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return folder, write_corpus(folder, 40, seed=11, appeal_share=0.5, pdf_share=0.1, target_kb=(20, 60))


def test_extractor_finds_the_appeal_figures_and_nothing_else(corpus):
    folder, paths = corpus
    truth = read_manifest(folder)
    assert 10 <= len(truth) <= 30 and any(p.suffix == ".pdf" for p in paths)
    found, spurious = [], []
    for path in paths:
        doc = read_document(path.name, path.read_bytes())
        extraction = extract_document(path.name, doc)
        expected = truth.get(path.name)
        if expected is None:
            if extraction.statistics:
                spurious.append((path.name, [s.quote for s in extraction.statistics]))
            continue
        if any(s.municipality == expected["municipality"] and s.period == expected["period"]
               and _rate_matches(s, expected) for s in extraction.statistics):
            found.append(path.name)
    assert not spurious
    assert len(found) >= 0.9 * len(truth), sorted(set(truth) - set(found))
