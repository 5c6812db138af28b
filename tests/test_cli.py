"""The `sightline` command line, run as a real subprocess on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
from fpdf import FPDF

SIGHTLINE = [sys.executable, "-m", "cli.main"]
ROOT = Path(__file__).resolve().parents[1]
TEXT = "Tomas Varga took our passports at Sparkle Hand Car Wash in Leicester. Call him on 07400 123456."


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SIGHTLINE, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_contract(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "n1", "text": TEXT, "region": "GB"}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("extract", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    [record] = lines(out)
    assert record["id"] == "n1"
    assert set(record) >= {"entities", "relations", "routes", "indicators"}
    for entity in record["entities"]:
        assert set(entity) >= {"start", "end", "label", "text", "value"}
        assert TEXT[entity["start"]:entity["end"]] == entity["text"]
    assert {"label": "PHONE", "value": "+447400123456"}.items() <= next(
        e for e in record["entities"] if e["label"] == "PHONE").items()


def test_malformed_line_names_the_line_and_keeps_what_was_written(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    good = json.dumps({"id": "a", "text": TEXT})
    source.write_text("\n".join([good, good.replace('"a"', '"b"'), "{not json", good]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("extract", str(source), "-o", str(out))
    assert result.returncode == 2
    assert f"{source}:3" in result.stderr and "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert [r["id"] for r in lines(out)] == ["a", "b"]


def test_unknown_field_and_empty_text_are_clear_errors(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": TEXT, "colour": "red"}) + "\n", encoding="utf-8")
    result = run("extract", str(source))
    assert result.returncode == 2 and "unknown field(s) colour" in result.stderr
    source.write_text(json.dumps({"id": "a", "text": "  "}) + "\n", encoding="utf-8")
    result = run("extract", str(source))
    assert result.returncode == 2 and ":1: narrative is empty" in result.stderr


def test_folder_of_txt_docx_pdf(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    document = docx.Document()
    document.add_paragraph(TEXT)
    document.save(str(folder / "b.docx"))
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, TEXT)
    pdf.output(str(folder / "c.pdf"))
    (folder / "notes.csv").write_text("ignored", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("extract", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = lines(out)
    assert [r["id"] for r in records] == ["a", "b", "c"]
    for record in records:
        assert "+447400123456" in {e["value"] for e in record["entities"]}


def test_wrong_encoding_is_decoded(tmp_path: Path) -> None:
    source = tmp_path / "latin.txt"
    source.write_bytes(("Maria Ionescu, née à Brasov, a payé 500 € à François Lefèvre à Paris. " * 3).encode("cp1252"))
    out = tmp_path / "out.jsonl"
    result = run("extract", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert lines(out)[0]["id"] == "latin"


def test_binary_file_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "image.txt"
    source.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run("extract", str(source))
    assert result.returncode == 2 and "binary" in result.stderr and "Traceback" not in result.stderr


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    result = run("extract", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_generate_then_extract(tmp_path: Path) -> None:
    generated = tmp_path / "gen.jsonl"
    result = run("generate", "--narratives", "5", "--seed", "3", "-o", str(generated))
    assert result.returncode == 0, result.stderr
    again = tmp_path / "again.jsonl"
    run("generate", "--narratives", "5", "--seed", "3", "-o", str(again))
    assert generated.read_bytes() == again.read_bytes()
    out = tmp_path / "out.jsonl"
    result = run("extract", str(generated), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert len(lines(out)) == 5
