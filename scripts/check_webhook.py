#!/usr/bin/env python3
"""Checks Herald's signed webhooks with the Standard Webhooks reference library and the published JSON Schema.

Reads from standard input a JSON array of requests, each
  {"name": "...", "secret": "whsec_...", "headers": {"webhook-id": ..., ...}, "body": "<base64 of the body bytes>",
   "expect": "valid" | "invalid"}
and checks that `standardwebhooks.Webhook(secret).verify(body, headers)` accepts exactly the requests expected to
be valid (an old timestamp, say, must be refused). Each valid request must also
  - parse as JSON and validate against schema/herald.webhook.v1.schema.json (which refers to the message schema),
  - list in `attachments` each attachment part of `message`, in order, with its name, type, size and SHA-256
    (hashlib's, of the base64 data),
  - fail verification once any one byte of its body is changed (the first, the middle and the last),
    once its webhook-id is changed, and once its timestamp is moved by one second.
Prints one line per finding and `N passed, M failed`; exits 1 on any finding.
"""
import base64
import hashlib
import json
import pathlib
import sys

import jsonschema
import referencing
import standardwebhooks

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load_validator():
    webhook = json.loads((ROOT / "schema" / "herald.webhook.v1.schema.json").read_text())
    message = json.loads((ROOT / "schema" / "herald.message.v1.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(webhook)
    registry = referencing.Registry().with_resources([
        (schema["$id"], referencing.Resource.from_contents(schema)) for schema in (webhook, message)
    ])
    return jsonschema.Draft202012Validator(webhook, registry=registry)


def verifies(secret, body, headers):
    try:
        standardwebhooks.Webhook(secret).verify(body, headers)
        return True
    except standardwebhooks.WebhookVerificationError:
        return False


def attachment_summaries(message):
    """What `attachments` must say for the message's attachment parts."""
    summaries = []
    for part in message.get("parts", []):
        if part.get("type") == "attachment":
            data = base64.b64decode(part["data"])
            summaries.append({"filename": part["filename"], "mime_type": part["mime_type"],
                              "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
    return summaries


def tampered(body, headers):
    """Variants of a valid request that must all be refused, each with a label."""
    for index in sorted({0, len(body) // 2, len(body) - 1}):
        changed = bytearray(body)
        changed[index] ^= 0x01
        yield f"byte {index} of the body changed", bytes(changed), headers
    yield "webhook-id changed", body, {**headers, "webhook-id": headers["webhook-id"] + "x"}
    timestamp = str(int(headers["webhook-timestamp"]) + 1)
    yield "timestamp moved by one second", body, {**headers, "webhook-timestamp": timestamp}


def main() -> int:
    validator = load_validator()
    requests = json.load(sys.stdin)
    passed = failed = 0
    for request in requests:
        name, secret, headers = request["name"], request["secret"], request["headers"]
        body = base64.b64decode(request["body"])
        findings = []
        valid = verifies(secret, body, headers)
        if valid != (request["expect"] == "valid"):
            findings.append(f"signature {'verified' if valid else 'refused'}, expected {request['expect']}")
        if request["expect"] == "valid" and valid:
            parsed = json.loads(body)
            errors = list(validator.iter_errors(parsed))
            findings += [f"schema: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}" for error in errors[:3]]
            if not errors and parsed["attachments"] != attachment_summaries(parsed["message"]):
                findings.append(f"attachments {parsed['attachments']} do not describe the message's")
            for label, changed_body, changed_headers in tampered(body, headers):
                if verifies(secret, changed_body, changed_headers):
                    findings.append(f"still verifies with {label}")
        for finding in findings:
            print(f"{name}: {finding}")
        if findings:
            failed += 1
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
