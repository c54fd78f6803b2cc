#!/usr/bin/env python3
"""Checks schema/herald.message.v1.schema.json against the messages Herald itself accepts and refuses.

Every golden message and shipped example (herald.message/v1 form; BEC-shaped files are skipped) must validate,
and every message in the refused list below must not. Herald's own decoder is the authority; this keeps the
published schema honest. Prints one line per mismatch and `N passed, M failed`; exits 1 on any mismatch.
"""
import json
import pathlib
import sys

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parent.parent

REFUSED = [
    {"parts": [{"type": "text", "text": "x", "color": "orange"}]},
    {"parts": [{"type": "text", "text": "x", "link": "javascript:alert(1)"}]},
    {"parts": [{"type": "text", "text": "x", "link": "https://a b"}]},
    {"parts": [{"type": "text", "text": "x", "colour": "red"}]},
    {"parts": [{"type": "text"}]},
    {"parts": [{"type": "video"}]},
    {"parts": [{"type": "text", "text": 1}]},
    {"parts": [{"type": "tags", "tags": [""]}]},
    {"parts": [{"type": "attachment", "path": "a.png", "data": "AA=="}]},
    {"parts": [{"type": "attachment", "filename": "a.png", "data": "AA=="}]},
    {"parts": [{"type": "attachment", "filename": "../a.png", "mime_type": "image/png", "data": "AA=="}]},
    {"parts": [{"type": "attachment", "filename": "a.png", "mime_type": "image/png", "data": "AA==", "width": 0}]},
    {"parts": [{"type": "table", "columns": [], "rows": []}]},
    {"parts": [{"type": "table", "title": "x\ny", "columns": ["a"], "rows": []}]},
    {"parts": [{"type": "code", "source": ""}]},
    {"parts": [{"type": "code", "source": "x", "language": "c++; rm"}]},
    {"parts": [{"type": "sticker", "sticker_id": "nope"}]},
    {"title": "two\nlines"},
    {"format": "herald.message/v2"},
    {"titel": "typo"},
]


def main() -> int:
    schema = json.loads((ROOT / "schema" / "herald.message.v1.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    passed = failed = 0
    accepted = sorted(ROOT.glob("golden/*/message.json")) + sorted(ROOT.glob("Examples/*.json"))
    for path in accepted:
        message = json.loads(path.read_text())
        if "message" in message and "parts" not in message:
            continue  # BEC's own shape, read by the BEC importer
        errors = list(validator.iter_errors(message))
        if errors:
            failed += 1
            print(f"{path.relative_to(ROOT)}: refused by the schema: {errors[0].message}")
        else:
            passed += 1
    for message in REFUSED:
        if validator.is_valid(message):
            failed += 1
            print(f"accepted by the schema but refused by Herald: {json.dumps(message)}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
