#!/usr/bin/env python3
"""Tests for validate_teams.py; run with ``python3 -m unittest test_validate_teams -v``.

The reference schemas are read from the specs directory the script uses by
default (``$HERALD_SPECS``); without it the tests are skipped with that reason.
"""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import validate_teams  # noqa: E402  (needs the path above)

SPECS_DIR = validate_teams.default_specs_dir()
SCRIPT = HERE / "validate_teams.py"

if SPECS_DIR is None:
    raise unittest.SkipTest("HERALD_SPECS is not set to the reference specifications: validator tests skipped")

# A 1x1 transparent PNG.
PNG_DATA_URI = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR4"
                "nGNgYAAAAAMAASsJTYQAAAAASUVORK5CYII=")


def minimal_payload() -> dict:
    """A correct Herald Teams payload using every construct the renderer emits."""
    return {
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": None,
            "content": {
                "type": "AdaptiveCard",
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "version": "1.4",
                "body": [
                    {"type": "TextBlock", "text": "Sample mount failed", "weight": "Bolder",
                     "size": "Large", "wrap": True},
                    {"type": "RichTextBlock", "inlines": [
                        {"type": "TextRun", "text": "Robot arm stopped", "weight": "Bolder",
                         "color": "Attention"},
                        {"type": "TextRun", "text": " at ", "italic": True},
                        {"type": "TextRun", "text": "x<y>z", "fontType": "Monospace"},
                        {"type": "TextRun", "text": " old", "strikethrough": True},
                        {"type": "TextRun", "text": " manual",
                         "selectAction": {"type": "Action.OpenUrl",
                                          "url": "https://example.org"}},
                    ]},
                    {"type": "FactSet", "facts": [{"title": "Beamline", "value": "X12SA"},
                                                  {"title": "Scan", "value": "12"}]},
                    {"type": "ColumnSet", "columns": [
                        {"type": "Column", "width": "auto",
                         "items": [{"type": "TextBlock", "text": "a", "wrap": True}]},
                        {"type": "Column", "width": "stretch",
                         "items": [{"type": "TextBlock", "text": "b", "wrap": True}]},
                        {"type": "Column", "width": 2,
                         "items": [{"type": "TextBlock", "text": "c", "wrap": True}]},
                        {"type": "Column", "width": "80px",
                         "items": [{"type": "TextBlock", "text": "d", "wrap": True}]},
                    ]},
                    {"type": "Image", "url": PNG_DATA_URI, "altText": "plot.png",
                     "size": "Medium"},
                    {"type": "TextBlock", "text": "#beamline #alarm", "isSubtle": True,
                     "wrap": True, "spacing": "Small"},
                ],
                "msteams": {"width": "Full"},
            },
        }],
    }


class ValidatorTestCase(unittest.TestCase):
    """Shared helpers: the loaded specs and payload/card checkers."""

    specs: validate_teams.Specs

    @classmethod
    def setUpClass(cls):
        """Load the reference schemas once."""
        cls.specs = validate_teams.Specs(SPECS_DIR)

    def findings(self, payload: dict, *, canonical_case: bool = True) -> dict[str, str]:
        """Check an envelope; return {path: message} (the last message per path)."""
        found = validate_teams.check_envelope(payload, self.specs, canonical_case=canonical_case)
        return {finding.path: finding.message for finding in found}

    def card(self, payload: dict) -> dict:
        """The first card of a payload."""
        return payload["attachments"][0]["content"]

    def assert_passes(self, payload: dict, **options):
        """The payload has no findings."""
        self.assertEqual(self.findings(payload, **options), {})

    def assert_finding(self, payload: dict, path: str, fragment: str = "", **options) -> str:
        """The payload has a finding at ``path`` whose message contains ``fragment``."""
        found = self.findings(payload, **options)
        self.assertIn(path, found, f"no finding at {path}; got {found}")
        self.assertIn(fragment, found[path])
        return found[path]


class EnvelopeTests(ValidatorTestCase):
    """The webhook envelope and the card contract of docs/services.md."""

    def test_minimal_payload_passes(self):
        self.assert_passes(minimal_payload())

    def test_wrong_content_type(self):
        payload = minimal_payload()
        payload["attachments"][0]["contentType"] = "application/json"
        self.assert_finding(payload, "attachments[0].contentType",
                            "application/vnd.microsoft.card.adaptive")

    def test_missing_attachments(self):
        payload = minimal_payload()
        del payload["attachments"]
        self.assert_finding(payload, "", "'attachments' is a required property")

    def test_empty_attachments(self):
        payload = minimal_payload()
        payload["attachments"] = []
        self.assert_finding(payload, "attachments")

    def test_wrong_message_type(self):
        payload = minimal_payload()
        payload["type"] = "Message"
        self.assert_finding(payload, "type", "'message' was expected")

    def test_version_1_5_rejected(self):
        payload = minimal_payload()
        self.card(payload)["version"] = "1.5"
        self.assert_finding(payload, "attachments[0].content.version", '"1.4"')

    def test_wrong_schema_uri(self):
        payload = minimal_payload()
        self.card(payload)["$schema"] = "https://adaptivecards.io/schemas/adaptive-card.json"
        self.assert_finding(payload, "attachments[0].content.$schema")

    def test_content_url_must_be_null(self):
        for value in ("https://example.org/card.json", "missing"):
            with self.subTest(contentUrl=value):
                payload = minimal_payload()
                if value == "missing":
                    del payload["attachments"][0]["contentUrl"]
                else:
                    payload["attachments"][0]["contentUrl"] = value
                self.assert_finding(payload, "attachments[0].contentUrl", "null")

    def test_msteams_full_width_required(self):
        payload = minimal_payload()
        del self.card(payload)["msteams"]
        self.assert_finding(payload, "attachments[0].content.msteams", "Full")

    def test_msteams_invalid_width(self):
        payload = minimal_payload()
        self.card(payload)["msteams"] = {"width": "full"}
        self.assert_finding(payload, "attachments[0].content.msteams.width")

    def test_msteams_inside_element_is_unknown(self):
        payload = minimal_payload()
        self.card(payload)["body"][0]["msteams"] = {"width": "Full"}
        self.assert_finding(payload, "attachments[0].content.body[0].msteams", "not allowed")

    def test_size_limit(self):
        payload = minimal_payload()
        self.card(payload)["body"][0]["text"] = "x" * validate_teams.SIZE_LIMIT_BYTES
        data = json.dumps(payload).encode("utf-8")
        found = validate_teams.check_payload_bytes(data, self.specs)
        self.assertIn("28 KB", found[0].message)

    def padded(self, size: int) -> bytes:
        """The minimal payload, compact, with the title padded to exactly ``size`` bytes."""
        payload = minimal_payload()
        compact = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        self.card(payload)["body"][0]["text"] += "é" * ((size - len(compact)) // 2)
        data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        if len(data) < size:
            self.card(payload)["body"][0]["text"] += "x"
            data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        self.assertEqual(len(data), size)
        return data

    def test_size_limit_is_28000_utf8_bytes(self):
        self.assertEqual(validate_teams.SIZE_LIMIT_BYTES, 28_000)
        self.assertEqual(validate_teams.check_payload_bytes(self.padded(28_000), self.specs), [])
        found = validate_teams.check_payload_bytes(self.padded(28_001), self.specs)
        self.assertEqual([f.message for f in found],
                         ["payload is 28001 bytes; Teams accepts at most 28000 bytes (28 KB) "
                          "of UTF-8"])

    def test_one_final_line_feed_is_not_part_of_the_body(self):
        body = self.padded(28_000)
        self.assertEqual(validate_teams.check_payload_bytes(body + b"\n", self.specs), [])
        found = validate_teams.check_payload_bytes(body + b"\n\n", self.specs)
        self.assertIn("28001 bytes", found[0].message)

    def test_an_array_is_several_messages_each_checked_on_its_own_bytes(self):
        # Each element within the limit passes, although the array is longer than 28,000 bytes.
        within = b"[" + self.padded(28_000) + b"," + self.padded(27_000) + b"]"
        self.assertEqual(validate_teams.check_payload_bytes(within, self.specs), [])
        broken = minimal_payload()
        del broken["type"]
        data = b"[" + self.padded(2_000) + b"," + self.padded(28_001) + b"," + json.dumps(broken).encode() + b"]\n"
        found = validate_teams.check_payload_bytes(data, self.specs)
        self.assertEqual(found[0], validate_teams.Finding(
            "[1]", "payload is 28001 bytes; Teams accepts at most 28000 bytes (28 KB) of UTF-8"))
        self.assertTrue(found[1].path.startswith("[2]"), found)
        self.assertEqual(validate_teams.check_payload_bytes(b"[]", self.specs),
                         [validate_teams.Finding("", "an empty array holds no webhook message")])

    def test_duplicate_keys_and_non_standard_numbers_are_invalid(self):
        cases = {b'{"type": "message", "type": "message", "attachments": []}':
                 'invalid JSON: duplicate object key "type"',
                 b'{"type": "message", "attachments": [NaN]}':
                 "invalid JSON: NaN is not a JSON number",
                 b'{"type": "message", "attachments": [-Infinity]}':
                 "invalid JSON: -Infinity is not a JSON number"}
        for data, message in cases.items():
            with self.subTest(data=data):
                self.assertEqual(validate_teams.check_payload_bytes(data, self.specs),
                                 [validate_teams.Finding("", message)])

    def test_invalid_json_reports_position(self):
        found = validate_teams.check_payload_bytes(b'{"type": "message",\n  oops}', self.specs)
        self.assertEqual(found, [validate_teams.Finding(
            "", "invalid JSON at line 2 column 3: Expecting property name enclosed in double "
                "quotes")])


class CardSchemaTests(ValidatorTestCase):
    """The Adaptive Card 1.4 schema as applied to the card."""

    def test_unknown_property(self):
        payload = minimal_payload()
        self.card(payload)["body"][1]["inlines"][0]["bold"] = True
        self.assert_finding(payload, "attachments[0].content.body[1].inlines[0].bold",
                            "not allowed")

    def test_table_element_is_not_in_1_4(self):
        payload = minimal_payload()
        self.card(payload)["body"].append({"type": "Table", "columns": [], "rows": []})
        self.assert_finding(payload, "attachments[0].content.body[6]",
                            'type "Table" is not allowed here')

    def test_text_run_needs_type(self):
        payload = minimal_payload()
        del self.card(payload)["body"][1]["inlines"][0]["type"]
        self.assert_finding(payload, "attachments[0].content.body[1].inlines[0]",
                            'missing "type"')

    def test_text_run_string_shorthand_passes(self):
        payload = minimal_payload()
        self.card(payload)["body"][1]["inlines"].append("plain text")
        self.assert_passes(payload)

    def test_text_block_has_no_select_action_in_1_4(self):
        payload = minimal_payload()
        self.card(payload)["body"][0]["selectAction"] = {"type": "Action.OpenUrl",
                                                         "url": "https://example.org"}
        self.assert_finding(payload, "attachments[0].content.body[0].selectAction",
                            "not allowed")

    def test_show_card_is_not_a_select_action(self):
        payload = minimal_payload()
        self.card(payload)["body"][1]["inlines"][4]["selectAction"] = {
            "type": "Action.ShowCard", "card": {"type": "AdaptiveCard", "body": []}}
        self.assert_finding(payload, "attachments[0].content.body[1].inlines[4].selectAction",
                            'type "Action.ShowCard" is not allowed here')

    def test_action_tooltip_is_1_5(self):
        payload = minimal_payload()
        self.card(payload)["body"][1]["inlines"][4]["selectAction"]["tooltip"] = "Open"
        self.assert_finding(payload,
                            "attachments[0].content.body[1].inlines[4].selectAction.tooltip",
                            "not allowed")

    def test_bare_card_check_needs_no_envelope(self):
        card = copy.deepcopy(self.card(minimal_payload()))
        self.assertEqual(validate_teams.check_card(card, self.specs), [])
        card["body"][0]["color"] = "Goodish"
        self.assertEqual([f.path for f in validate_teams.check_card(card, self.specs)],
                         ["body[0].color"])


class ExactValueTests(ValidatorTestCase):
    """Enums and size values that the loose schema lets through."""

    def mutate(self, element: int, key: str, value, inline: int | None = None) -> tuple:
        """Set a property on body[element] (or one of its inlines); return (payload, path)."""
        payload = minimal_payload()
        target = self.card(payload)["body"][element]
        path = f"attachments[0].content.body[{element}]"
        if inline is not None:
            target = target["inlines"][inline]
            path += f".inlines[{inline}]"
        target[key] = value
        return payload, f"{path}.{key}"

    def test_schema_alone_accepts_goodish(self):
        payload, _ = self.mutate(0, "color", "Goodish")
        card = self.card(payload)
        self.assertEqual(validate_teams.card_schema_findings(card, self.specs), [])

    def test_unknown_enum_values(self):
        cases = [(0, "color", "Goodish", None), (0, "size", "Huge", None),
                 (1, "color", "Goodish", 0), (1, "fontType", "Courier", 2),
                 (4, "size", "Huge", None), (5, "spacing", "Lots", None),
                 (0, "horizontalAlignment", "middle", None)]
        for element, key, value, inline in cases:
            with self.subTest(key=key, value=value):
                payload, path = self.mutate(element, key, value, inline)
                self.assert_finding(payload, path, "unknown")
                self.assert_finding(payload, path, "unknown", canonical_case=False)

    def test_wrong_case_is_flagged_unless_lenient(self):
        cases = [(0, "weight", "bolder", "Bolder", None), (1, "color", "attention", "Attention", 0),
                 (1, "size", "extralarge", "ExtraLarge", 1), (4, "size", "MEDIUM", "Medium", None)]
        for element, key, value, canonical, inline in cases:
            with self.subTest(key=key, value=value):
                payload, path = self.mutate(element, key, value, inline)
                self.assert_finding(payload, path, f'use "{canonical}"')
                self.assert_passes(payload, canonical_case=False)

    def test_non_string_enum_values(self):
        for value in (5, None, True, {"x": 1}):
            with self.subTest(value=value):
                payload, path = self.mutate(0, "color", value)
                self.assertEqual(validate_teams.card_schema_findings(self.card(payload),
                                                                     self.specs), [])
                self.assert_finding(payload, path, "is not a string")

    def test_column_width_forms(self):
        good = ["auto", "stretch", "1px", "250px", 1, 0.5, 3]
        bad = {"Auto": "case-sensitively", "STRETCH": "case-sensitively",
               "2": "JSON number", "50": "JSON number", "1.5px": "pixel size",
               "wide": "pixel size", 0: "positive", -1: "positive", True: "not of type"}
        for value in good:
            with self.subTest(width=value):
                payload = minimal_payload()
                self.card(payload)["body"][3]["columns"][0]["width"] = value
                self.assert_passes(payload)
        for value, fragment in bad.items():
            with self.subTest(width=value):
                payload = minimal_payload()
                self.card(payload)["body"][3]["columns"][0]["width"] = value
                self.assert_finding(payload, "attachments[0].content.body[3].columns[0].width",
                                    fragment, canonical_case=False)

    def test_image_size_properties(self):
        good = {"width": "64px", "height": "64px"}
        for key, value in good.items():
            with self.subTest(key=key, value=value):
                payload, _ = self.mutate(4, key, value)
                self.assert_passes(payload)
        payload, path = self.mutate(4, "height", "Stretch")
        self.assert_passes(payload)
        bad = {"width": ("64", "not a pixel size"), "height": ("Tall", "unknown")}
        for key, (value, fragment) in bad.items():
            with self.subTest(key=key, value=value):
                payload, path = self.mutate(4, key, value)
                self.assert_finding(payload, path, fragment)

    def test_min_height_is_pixels(self):
        payload = minimal_payload()
        self.card(payload)["minHeight"] = "100"
        self.assert_finding(payload, "attachments[0].content.minHeight", "pixel size")

    def test_enum_types_derived_from_schema(self):
        enum_types = self.specs.card_schema.enum_types
        self.assertEqual(enum_types["Colors"], ("Default", "Dark", "Light", "Accent", "Good",
                                                "Warning", "Attention"))
        self.assertEqual(enum_types["FontWeight"], ("Default", "Lighter", "Bolder"))
        self.assertEqual(enum_types["FontSize"], ("Default", "Small", "Medium", "Large",
                                                  "ExtraLarge"))
        self.assertEqual(enum_types["FontType"], ("Default", "Monospace"))


class CommandLineTests(ValidatorTestCase):
    """Output format and exit status of the script."""

    def run_script(self, *args: str) -> subprocess.CompletedProcess:
        """Run validate_teams.py with the test specs directory."""
        return subprocess.run([sys.executable, str(SCRIPT), "--specs", str(SPECS_DIR), *args],
                              capture_output=True, text=True, check=False)

    def write(self, directory: str, name: str, payload) -> str:
        """Write a payload file and return its path."""
        path = Path(directory) / name
        path.write_text(payload if isinstance(payload, str) else json.dumps(payload),
                        encoding="utf-8")
        return str(path)

    def test_pass_and_fail_lines_and_summary(self):
        with tempfile.TemporaryDirectory() as directory:
            good = self.write(directory, "good.json", minimal_payload())
            payload = minimal_payload()
            self.card(payload)["body"][1]["inlines"][0]["color"] = "Goodish"
            bad = self.write(directory, "bad.json", payload)
            result = self.run_script(good, bad)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout.splitlines(), [
            f"{bad}: attachments[0].content.body[1].inlines[0].color: unknown Colors value "
            f"\"Goodish\"; expected one of Default, Dark, Light, Accent, Good, Warning, Attention",
            "1 passed, 1 failed",
        ])

    def test_all_pass_exit_zero(self):
        with tempfile.TemporaryDirectory() as directory:
            good = self.write(directory, "good.json", minimal_payload())
            result = self.run_script(good)
        self.assertEqual((result.returncode, result.stdout), (0, "1 passed, 0 failed\n"))

    def test_lenient_case_option(self):
        payload = minimal_payload()
        self.card(payload)["body"][0]["weight"] = "bolder"
        with tempfile.TemporaryDirectory() as directory:
            path = self.write(directory, "p.json", payload)
            self.assertEqual(self.run_script(path).returncode, 1)
            self.assertEqual(self.run_script("--lenient-case", path).returncode, 0)

    def test_unreadable_and_malformed_files_fail(self):
        with tempfile.TemporaryDirectory() as directory:
            broken = self.write(directory, "broken.json", "{")
            missing = str(Path(directory) / "missing.json")
            result = self.run_script(broken, missing)
        self.assertEqual(result.returncode, 1)
        lines = result.stdout.splitlines()
        self.assertTrue(lines[0].startswith(f"{broken}: $: invalid JSON at line 1"))
        self.assertTrue(lines[1].startswith(f"{missing}: $: cannot read file"))
        self.assertEqual(lines[-1], "0 passed, 2 failed")

    def test_specs_directory_from_environment(self):
        with tempfile.TemporaryDirectory() as directory:
            good = self.write(directory, "good.json", minimal_payload())
            environment = {**os.environ, validate_teams.SPECS_DIR_VARIABLE: str(SPECS_DIR)}
            found = subprocess.run([sys.executable, str(SCRIPT), good], env=environment,
                                   capture_output=True, text=True, check=False)
            environment[validate_teams.SPECS_DIR_VARIABLE] = directory
            missing = subprocess.run([sys.executable, str(SCRIPT), good], env=environment,
                                     capture_output=True, text=True, check=False)
        self.assertEqual((found.returncode, found.stdout), (0, "1 passed, 0 failed\n"))
        self.assertEqual(missing.returncode, 2)
        self.assertIn(f"error: cannot read {directory}", missing.stderr)

    def test_usage_errors_exit_two(self):
        self.assertEqual(self.run_script().returncode, 2)
        self.assertEqual(self.run_script("--self-test", "x.json").returncode, 2)
        self.assertEqual(self.run_script("--bogus", "x.json").returncode, 2)
        with tempfile.TemporaryDirectory() as directory:
            result = subprocess.run([sys.executable, str(SCRIPT), "--specs", directory, "x.json"],
                                    capture_output=True, text=True, check=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("error: cannot read", result.stderr)

    def test_self_test(self):
        out = io.StringIO()
        status = validate_teams.main(["--specs", str(SPECS_DIR), "--self-test"], out=out)
        lines = out.getvalue().splitlines()
        self.assertEqual(status, 0, out.getvalue())
        self.assertRegex(lines[-1], r"^[1-9][0-9]* passed, 0 failed$")
        self.assertFalse([line for line in lines[:-1] if not line.startswith("PASS ")])


if __name__ == "__main__":
    unittest.main()
