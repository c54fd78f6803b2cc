"""A beamline developer's notification, from the client's builder and from BEC's own NotificationMessageObject,
through the real ``herald serve`` to SciLog, Teams and Signal receivers."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any, Dict, List

import pytest

from herald_client import NotificationMessage, Receipt

from conftest import PNG, Receivers, Server, prerequisite

TEXT = "Sample mount failed"
REST = " Please check the robot status before retrying."
TAGS = ["sample-exchange", "robot"]


def delivered(server: Server, receivers: Receivers, receipt: Receipt) -> Dict[str, Any]:
    """The payloads each service received for ``receipt``: SciLog's snippet and upload, Teams' card, Signal's
    ``send`` parameters."""
    assert receipt.id is not None
    assert sorted(d["service"] + "/" + d["scope"] for d in receipt.deliveries) == ["scilog/x12sa", "signal/oncall", "teams/operators"]
    upload = receivers.scilog.wait_for(1, "/api/v1/filesnippet/files")[-1]
    snippet = receivers.scilog.wait_for(1, "/api/v1/basesnippets")[-1].json()
    card = receivers.teams.wait_for(1)[-1].json()
    call = receivers.signal.wait_for(1)[-1].json()
    assert isinstance(snippet, dict) and isinstance(card, dict) and isinstance(call, dict)
    return {"upload": upload, "snippet": snippet, "card": card["attachments"][0]["content"], "signal": call["params"]}


def runs(card: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [run for block in card["body"] if block["type"] == "RichTextBlock" for run in block["inlines"]]


def check_bold_red_text_tags_and_image(payloads: Dict[str, Any], filename: str) -> None:
    # SciLog: CKEditor's red pen around bold text, the tags, and the image uploaded then referenced.
    snippet = payloads["snippet"]
    assert f'<mark class="pen-red"><strong>{TEXT}</strong></mark>' in snippet["textcontent"]
    assert REST.strip() in snippet["textcontent"]
    assert snippet["tags"] == TAGS
    assert snippet["parentId"] == "6523a1f0c8e4b2a9d0f1e2d3"
    assert [file["fileExtension"] for file in snippet["files"]] == ["image/png"]
    assert '<figure class="image image_resized"><img src=""' in snippet["textcontent"]
    assert payloads["upload"].headers["content-type"].startswith("multipart/form-data; boundary=")
    assert PNG in payloads["upload"].body

    # Teams: a bold TextRun in the Attention color, the tags as #tags, the image as a data: URI.
    card = payloads["card"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    text_runs = runs(card)
    bold = next(run for run in text_runs if run["text"] == TEXT)
    assert bold["weight"] == "Bolder" and bold["color"] == "Attention"
    assert any(run["text"].strip() == REST.strip() and "weight" not in run for run in text_runs)
    assert [run["text"] for run in text_runs if run.get("isSubtle")] == ["#" + tag for tag in TAGS]
    images = [block for block in card["body"] if block["type"] == "Image"]
    assert [image["url"] for image in images] == ["data:image/png;base64," + base64.b64encode(PNG).decode()]

    # Signal: no colors, so the bold range over exactly the words, the tags as a last line, the image attached.
    params = payloads["signal"]
    message: str = params["message"]
    start = message.index(TEXT)
    assert f"{start}:{len(TEXT)}:BOLD" in params["textStyle"]
    assert REST.strip() in message
    assert message.endswith("#sample-exchange #robot")
    assert params["attachments"] == [f"data:image/png;filename={filename};base64," + base64.b64encode(PNG).decode()]
    assert params["recipient"] == ["+41791234567"]


def test_beamline_developer_notifies_with_the_clients_builder(routed: Server, receivers: Receivers, tmp_path: Path) -> None:
    image = tmp_path / "robot.png"
    image.write_bytes(PNG)

    msg = NotificationMessage()
    msg.add_text(TEXT, bold=True, color="red")
    msg.add_text(REST)
    msg.add_tags(TAGS)
    msg.add_attachment(str(image))

    herald = routed.client()
    receipt = herald.notify("sample_mount_failed", msg)

    assert receipt.event == "sample_mount_failed" and not receipt.replayed and receipt.notes == []
    payloads = delivered(routed, receivers, receipt)
    check_bold_red_text_tags_and_image(payloads, "robot.png")
    # One paragraph: BEC's two add_text calls are inline runs of the same sentence.
    assert f"{TEXT}</strong></mark>{REST}</p>" in payloads["snippet"]["textcontent"]
    assert payloads["signal"]["message"].startswith(TEXT + REST)


def test_beamline_developer_notifies_with_becs_own_message_object(routed: Server, receivers: Receivers, tmp_path: Path) -> None:
    services = prerequisite("bec_lib.messaging_services", "python3 -m pip install bec-lib")
    image = tmp_path / "robot.png"
    image.write_bytes(PNG)

    msg = services.NotificationMessageObject()
    msg.add_text(TEXT, bold=True, color="red")
    msg.add_text(REST)
    msg.add_tags(TAGS)
    msg.add_attachment(str(image))

    receipt = routed.client().notify("sample_mount_failed", msg)

    payloads = delivered(routed, receivers, receipt)
    check_bold_red_text_tags_and_image(payloads, "robot.png")
    # BEC's text parts are paragraphs of their own, as BEC shows them.
    assert f"<p>{REST.strip()}</p>" in payloads["snippet"]["textcontent"] or f"<p>{REST}</p>" in payloads["snippet"]["textcontent"]


def test_a_plain_string_as_becs_connector_sends_it(routed: Server, receivers: Receivers) -> None:
    receipt = routed.client().notify("sample_mount_failed", "Robot reported a mount failure.")
    payloads = receivers.signal.wait_for(1)[-1].json()
    assert isinstance(payloads, dict)
    assert payloads["params"]["message"] == "Robot reported a mount failure."
    assert "textStyle" not in payloads["params"] or payloads["params"]["textStyle"] == []
    assert receipt.id is not None


def test_the_previews_say_what_each_service_shows(server: Server, tmp_path: Path) -> None:
    msg = NotificationMessage().add_text(TEXT, bold=True, color="red").add_tags(TAGS)
    herald = server.client()

    signal = herald.render("signal", msg)
    assert signal.service == "signal"
    assert signal.payload["message"].startswith(TEXT)
    assert [(d["kind"], d["path"]) for d in signal.degradations] == [("color_not_shown", "parts[0]")]

    teams = herald.render("teams", msg)
    assert runs(teams.payload["attachments"][0]["content"])[0] == {"color": "Attention", "text": TEXT, "type": "TextRun", "weight": "Bolder"}
    assert teams.degradations == []

    everything = herald.render_all("Plain text")
    assert {rendering.service for rendering in everything} >= {"markdown", "scilog", "signal", "teams"}
    assert next(r for r in everything if r.service == "markdown").payload == "Plain text\n"
    with pytest.raises(ValueError, match="render_all"):
        herald.render("all", msg)
    # Nothing was queued by previewing.
    assert server.notification_count() == 0
