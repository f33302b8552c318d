"""The command line as a person uses it: help texts, docs that stay true, bad input, ingest/list/show."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from tests.conftest import REPORTS, ROOT
from tracker.cli import app

runner = CliRunner()
YIBIN = REPORTS / "city-2024" / "宜宾.txt"


def _commands() -> dict[str, object]:
    group = get_command(app)
    out: dict[str, object] = {}
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        out[name] = cmd
        for sub, subcmd in getattr(cmd, "commands", {}).items():
            out[f"{name} {sub}"] = subcmd
    return out


def test_every_command_has_help_text_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, cmd in _commands().items():
        assert (getattr(cmd, "help", None) or "").strip(), f"`tracker {name}` has no help text"
        assert f"tracker {name}" in readme, f"`tracker {name}` is missing from README.md"


def test_readme_has_the_two_setup_commands_that_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block
    commands = [line for line in block.group(1).splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert "tracker demo" in commands[0]
    assert commands[1] in ci


def _db(tmp_path: Path) -> list[str]:
    return ["--db", f"sqlite:///{tmp_path / 't.sqlite'}"]


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary file"),
    ("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e".encode("latin-1") * 20, "unknown text encoding"),
    ("这是一份会议纪要，没有工作安排。\n会议讨论了若干事项。".encode(), "no plan part"),
])
def test_bad_input_is_one_line_exit_2_and_stores_nothing(tmp_path: Path, content: bytes, problem: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = runner.invoke(app, [*_db(tmp_path), "ingest", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and problem in lines[0]
    listed = runner.invoke(app, [*_db(tmp_path), "list", "--format", "json"])
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []
    extracted = runner.invoke(app, ["extract", str(bad)])
    assert extracted.exit_code == 2 and problem in extracted.stderr


def test_extract_json_has_the_documented_fields_and_offsets_slice_the_text() -> None:
    result = runner.invoke(app, ["extract", str(YIBIN), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    text = YIBIN.read_text(encoding="utf-8")
    assert len(records) >= 80
    for r in records:
        for key in ("start", "end", "quote", "indicator", "value", "unit", "comparator", "hedge", "kind", "target_year"):
            assert key in r
        assert text[r["start"]:r["end"]] == r["quote"]


def test_ingest_list_show_round(tmp_path: Path) -> None:
    db = _db(tmp_path)
    assert runner.invoke(app, [*db, "init"]).exit_code == 0
    ingested = runner.invoke(app, [*db, "ingest", str(YIBIN)])
    assert ingested.exit_code == 0, ingested.stderr
    assert "宜宾 2024" in ingested.stdout and "new" in ingested.stdout
    again = runner.invoke(app, [*db, "ingest", str(YIBIN)])
    assert "unchanged" in again.stdout
    listed = runner.invoke(app, [*db, "list", "--jurisdiction", "宜宾", "--search", "高标准农田", "--format", "json"])
    rows = json.loads(listed.stdout)
    assert [r["quote"] for r in rows] == ["27.2万亩"]
    shown = runner.invoke(app, [*db, "show", rows[0]["id"]])
    assert shown.exit_code == 0
    assert "新建高标准农田" in shown.stdout and "27.2万亩" in shown.stdout and "pending" in shown.stdout
    marked = runner.invoke(app, [*db, "mark", rows[0]["id"], "fulfilled", "--note", "农业农村局通报", "--value", "28.5"])
    assert marked.exit_code == 0, marked.stderr
    shown = runner.invoke(app, [*db, "show", rows[0]["id"]])
    assert "28.5万亩 (given by hand, manual)" in shown.stdout and "农业农村局通报" in shown.stdout
    csv_out = runner.invoke(app, [*db, "list", "--jurisdiction", "宜宾", "--format", "csv"])
    assert csv_out.stdout.splitlines()[0].startswith("id,jurisdiction,target_year")


def test_unknown_id_and_uninitialised_database(tmp_path: Path) -> None:
    missing = runner.invoke(app, [*_db(tmp_path), "show", "宜宾-2024-001"])
    assert missing.exit_code == 1 and "tracker init" in missing.stderr
    runner.invoke(app, [*_db(tmp_path), "init"])
    unknown = runner.invoke(app, [*_db(tmp_path), "show", "宜宾-2024-999"])
    assert unknown.exit_code == 2 and "宜宾-2024-999" in unknown.stderr


def test_malformed_config_is_one_line_error(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[status]\npartial_ratio = 'high'\n", encoding="utf-8")
    result = runner.invoke(app, ["--config", str(cfg), "list"])
    assert result.exit_code == 2
    assert str(cfg) in result.stderr and "partial_ratio" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_help_does_not_load_heavy_modules() -> None:
    """`tracker --help` must start fast: jieba, httpx, apscheduler and the ORM load only where used."""
    import subprocess
    import sys

    code = ("import sys; from typer.testing import CliRunner; from tracker.cli import app; "
            "CliRunner().invoke(app, ['--help']); "
            "print(sorted(m for m in ('jieba', 'httpx', 'apscheduler', 'sqlmodel', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_extraction_half_loads_without_the_database_layer() -> None:
    """Ingest forks its extraction workers before the database layer loads, so the two overlap."""
    import subprocess
    import sys

    code = ("import sys, tracker.batch; "
            "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'jieba') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ingest_of_a_folder_into_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", "postgresql+psycopg://nobody@127.0.0.1:9/none", "ingest",
                                 str(REPORTS / "city-2024")])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "127.0.0.1:9" in result.stderr
