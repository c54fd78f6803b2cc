"""The NotificationMessage builder: the JSON it produces, checked against the repository's JSON Schema, and the
mistakes it refuses before anything is sent."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, Dict

import pytest

from herald_client import MAX_ATTACHMENT_BYTES, MessageError, NotificationMessage
from herald_client._documents import document

from conftest import PNG, REPOSITORY, prerequisite


def conforms(value: Dict[str, Any]) -> None:
    """Fails unless ``value`` is valid under schema/herald.message.v1.schema.json."""
    jsonschema = prerequisite("jsonschema", "python3 -m pip install jsonschema")
    schema = json.loads((REPOSITORY / "schema" / "herald.message.v1.schema.json").read_text())
    jsonschema.validate(value, schema, format_checker=jsonschema.FormatChecker())


def test_bec_calls_make_inline_runs_tags_and_an_attachment(tmp_path: Path) -> None:
    image = tmp_path / "robot.png"
    image.write_bytes(PNG)
    msg = NotificationMessage()
    msg.add_text("Sample mount failed", bold=True, color="red")
    msg.add_text(" Please check the robot status before retrying.")
    msg.add_tags(["sample-exchange", "robot"]).add_tags("x12sa")
    msg.add_attachment(str(image))
    assert msg.to_json() == {
        "format": "herald.message/v1",
        "parts": [
            {"type": "text", "text": "Sample mount failed", "bold": True, "color": "red"},
            {"type": "text", "text": " Please check the robot status before retrying."},
            {"type": "tags", "tags": ["sample-exchange", "robot"]},
            {"type": "tags", "tags": ["x12sa"]},
            {"type": "attachment", "filename": "robot.png", "mime_type": "image/png", "data": base64.b64encode(PNG).decode()},
        ],
    }
    conforms(msg.to_json())


def test_herald_calls_title_styles_links_tables_code() -> None:
    msg = (
        NotificationMessage("Scan 12 done")
        .add_text("old", strikethrough=True)
        .add_text("samx", monospace=True, italic=True)
        .add_link("docs", "https://example.org/robot")
        .add_table(["device", "readback"], [["samx", "1.02"], ["samy", "-0.5"]], title="Positions")
        .add_code("scans.line_scan(dev.samx, -5, 5, steps=3)", language="python")
        .add_attachment(b"%PDF-1.4", name="scan.pdf", width=800, height=600)
    )
    value = msg.to_json()
    assert value["title"] == "Scan 12 done"
    assert value["parts"][:3] == [
        {"type": "text", "text": "old", "strikethrough": True},
        {"type": "text", "text": "samx", "italic": True, "monospace": True},
        {"type": "text", "text": "docs", "link": "https://example.org/robot"},
    ]
    assert value["parts"][3] == {
        "type": "table", "title": "Positions", "columns": ["device", "readback"], "rows": [["samx", "1.02"], ["samy", "-0.5"]],
    }
    assert value["parts"][4] == {"type": "code", "source": "scans.line_scan(dev.samx, -5, 5, steps=3)", "language": "python"}
    assert value["parts"][5]["mime_type"] == "application/pdf"
    assert (value["parts"][5]["width"], value["parts"][5]["height"]) == (800, 600)
    conforms(value)


def test_to_json_is_a_copy() -> None:
    msg = NotificationMessage().add_tags(["a"])
    msg.to_json()["parts"][0]["tags"].append("b")
    assert msg.to_json()["parts"][0]["tags"] == ["a"]


@pytest.mark.parametrize(
    "build, path, reason",
    [
        (lambda m: m.add_text("x", color="orange"), "parts[0].color", 'unknown color "orange"; expected one of red, green, black, yellow, pink, blue'),
        (lambda m: m.add_link("x", "javascript:alert(1)"), "parts[0].link", "expected an absolute http, https or mailto URL"),
        (lambda m: m.add_link("x", "https://a b"), "parts[0].link", "expected an absolute http, https or mailto URL"),
        (lambda m: m.add_tags(["ok", ""]), "parts[0].tags[1]", "must not be empty"),
        (lambda m: m.add_tags(["line\nbreak"]), "parts[0].tags[0]", "control characters"),
        (lambda m: m.set_title("two\nlines"), "title", "must be one line"),
        (lambda m: m.add_attachment(b"x"), "parts[0].filename", "name the file"),
        (lambda m: m.add_attachment(b"", name="empty.bin"), "parts[0].data", "has 0 bytes"),
        (lambda m: m.add_attachment(b"x" * (MAX_ATTACHMENT_BYTES + 1), name="big.bin"), "parts[0].data", "has 5242881 bytes"),
        (lambda m: m.add_attachment(b"x", name="../etc/passwd"), "parts[0].filename", "without slashes"),
        (lambda m: m.add_attachment(b"x", name="a.bin", content_type="image"), "parts[0].mime_type", "is not a MIME type"),
        (lambda m: m.add_attachment(b"x", name="a.png", width=0), "parts[0].width", "expected 1 to 100000"),
        (lambda m: m.add_table([], []), "parts[0].columns", "at least one column"),
        (lambda m: m.add_table(["a", "b"], [["1"]]), "parts[0].rows[0]", "has 1 cells; the table has 2 columns"),
        (lambda m: m.add_code(""), "parts[0].source", "must not be empty"),
        (lambda m: m.add_code("x", language="c c"), "parts[0].language", "1 to 32 letters"),
    ],
)
def test_refusals_name_the_part(build: Any, path: str, reason: str) -> None:
    msg = NotificationMessage()
    with pytest.raises(MessageError) as raised:
        build(msg)
    assert raised.value.path == path
    assert reason in str(raised.value)
    assert str(raised.value).startswith(path + ": ")
    assert msg.to_json()["parts"] == []


def test_the_second_part_is_named_by_its_index() -> None:
    msg = NotificationMessage().add_text("ok")
    with pytest.raises(MessageError, match=r"^parts\[1\]\.color: "):
        msg.add_text("x", color="Red")


@pytest.mark.parametrize(
    "build, where",
    [
        (lambda m: m.add_text(12), "parts[0].text"),
        (lambda m: m.add_text("x", bold="yes"), "parts[0].bold"),
        (lambda m: m.add_attachment(b"x", 800), "parts[0].filename"),
        (lambda m: m.add_attachment(3.5), "parts[0]"),
        (lambda m: m.add_table(["a"], [[1]]), "parts[0].rows[0][0]"),
        (lambda m: m.add_attachment(b"x", name="a.png", width=True), "parts[0].width"),
    ],
)
def test_wrong_types_are_type_errors(build: Any, where: str) -> None:
    with pytest.raises(TypeError, match="^" + where.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.") + ": expected"):
        build(NotificationMessage())


def test_a_missing_or_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(MessageError, match=r"^parts\[0\]\.path: cannot read .*missing\.png"):
        NotificationMessage().add_attachment(tmp_path / "missing.png")
    big = tmp_path / "big.bin"
    with open(big, "wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(MessageError, match=r"has 5242881 bytes; the limit is 5242880"):
        NotificationMessage().add_attachment(big)


def test_documents_plain_text_dicts_and_bec_objects() -> None:
    class Part:
        def __init__(self, **fields: Any) -> None:
            self.fields = fields

        def model_dump(self) -> Dict[str, Any]:
            return dict(self.fields)

    class BECLike:
        def __init__(self) -> None:
            self._content = [Part(content="<p><strong>x</strong></p>"), Part(filename="a.png", mime_type="image/png", data=PNG, width=None, height=None), Part(tags=["t"])]

    assert document("plain", allow_text=True) == "plain"
    assert document("plain", allow_text=False) == {"parts": [{"type": "text", "text": "plain"}]}
    assert document({"parts": []}, allow_text=True) == {"parts": []}
    assert document(BECLike(), allow_text=True) == {
        "metadata": {},
        "message": [
            {"content": "<p><strong>x</strong></p>"},
            {"filename": "a.png", "mime_type": "image/png", "data": base64.b64encode(PNG).decode(), "width": None, "height": None},
            {"tags": ["t"]},
        ],
    }
    with pytest.raises(TypeError, match="^message: expected a NotificationMessage"):
        document(42, allow_text=True)
