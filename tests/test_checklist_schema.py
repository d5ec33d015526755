"""`selfcheck checklist schema`: the JSON Schema editors use, kept in step with the model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from selfcheck.checklist.describe import MEANING_LABELS, TYPE_LABELS
from selfcheck.checklist.schema import MEANING_HELP, SCHEMA_FILENAME, TYPE_HELP, schema_text
from selfcheck.cli import app
from selfcheck.yamlsafe import read_yaml_file

BUILTIN = Path(__file__).resolve().parent.parent / "checklists"
CHECKLISTS = sorted(BUILTIN.glob("*.yaml"))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(schema_text())


def test_committed_schema_equals_what_the_command_prints() -> None:
    result = CliRunner().invoke(app, ["checklist", "schema"])
    assert result.exit_code == 0
    committed = (BUILTIN / SCHEMA_FILENAME).read_text(encoding="utf-8")
    assert result.output == committed, (
        "run: selfcheck checklist schema -o checklists/checklist.schema.json"
    )


def test_schema_option_writes_the_same_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    result = CliRunner().invoke(app, ["checklist", "schema", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == schema_text()
    assert "yaml-language-server" in result.output


def test_schema_is_a_valid_draft_7_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("path", CHECKLISTS, ids=lambda p: p.name)
def test_built_in_checklists_validate_against_the_schema(
    path: Path, schema: dict[str, Any]
) -> None:
    jsonschema.Draft7Validator(schema).validate(read_yaml_file(path).data)


@pytest.mark.parametrize("path", CHECKLISTS, ids=lambda p: p.name)
def test_built_in_checklists_point_editors_at_the_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema={SCHEMA_FILENAME}"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("rubric: 三查三看", "rubrc: 三查三看"),  # unknown field
        ('version: "2008.1"', "version: 1.10"),  # YAML made it a number
        ("type: long_text", "type: longtext"),  # not a question type
        ("id: work-2", "id: 2work"),  # not an identifier
        ("required: true", "required: yes please"),  # not a boolean
    ],
)
def test_schema_rejects_what_validate_rejects(
    old: str, new: str, schema: dict[str, Any], tmp_path: Path
) -> None:
    text = (BUILTIN / "zuofeng-2008.yaml").read_text(encoding="utf-8").replace(old, new, 1)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(read_yaml_file(path).data)


def test_descriptions_are_chinese_and_every_field_has_one(schema: dict[str, Any]) -> None:
    models = [schema, *schema["definitions"].values()]
    for model in models:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in model["description"]), model["title"]
        for name, prop in model.get("properties", {}).items():
            assert "description" in prop, f"{model['title']}.{name}"
            assert any("\u4e00" <= ch <= "\u9fff" for ch in prop["description"]), name


def test_question_types_and_meanings_carry_enum_descriptions(schema: dict[str, Any]) -> None:
    props = schema["definitions"]["Question"]["properties"]
    assert len(props["type"]["enumDescriptions"]) == len(props["type"]["enum"])
    assert set(TYPE_HELP) == set(TYPE_LABELS) == set(props["type"]["enum"])
    assert set(MEANING_HELP) == set(MEANING_LABELS)
