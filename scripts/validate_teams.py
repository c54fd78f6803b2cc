#!/usr/bin/env python3
"""Validate Microsoft Teams webhook payloads that carry an Adaptive Card 1.4.

Herald's Teams renderer emits, for an incoming webhook or a Workflows URL
(docs/services.md, "Microsoft Teams"):

    {"type": "message",
     "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                      "contentUrl": null,
                      "content": {"type": "AdaptiveCard",
                                  "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                                  "version": "1.4",
                                  "body": [...],
                                  "msteams": {"width": "Full"}}}]}

For every payload file this script checks, in order:

1. the envelope against ``teams-webhook-envelope.schema.json``, plus the
   contract of docs/services.md: ``contentUrl`` present and null, card ``version``
   exactly "1.4", ``$schema`` exactly as above, ``msteams.width`` "Full", and
   the request body at most 28 KB, read as 28,000 bytes of UTF-8 (see
   ``SIZE_LIMIT_BYTES``; one final line feed, which files such as Herald's
   goldens end with, is not part of the body and is not counted);
2. each attachment's card, with the Teams-only top-level ``msteams`` key
   removed, against ``adaptive-card-1.4.0.schema.json`` (Draft6Validator,
   internal $refs only, no network);
3. every enum-valued property exactly. The schema accepts an enum through
   ``anyOf: [{enum: [...]}, {pattern: "^(a)|(b)|...$"}]`` and the pattern is
   anchored only at its first and last alternative, so "Goodish" passes as a
   color. The exact sets are derived from the schema's ``enum`` branches; the
   canonical spelling is that value with its first letter upper-cased
   ("bolder" -> "Bolder", "extraLarge" -> "ExtraLarge"), the form docs/services.md
   and the Teams documentation use. Renderers parse enums case-insensitively,
   but Herald must emit the canonical spelling, so any other casing is a
   finding unless ``--lenient-case`` is given. Size-like strings are checked
   too: ``minHeight``, ``Image.width`` and ``Image.height`` take "<int>px"
   (``Image.height`` also the BlockElementHeight enum), and ``Column.width``
   takes a positive JSON number (relative weight), "<int>px", or exactly
   "auto" / "stretch" (lower case: the JavaScript renderer compares these
   case-sensitively, so "Auto" would be ignored even with --lenient-case).

The file must be strict JSON: duplicate object keys and the non-standard
constants NaN and Infinity (which Python's parser would accept) are findings.

Output: one line per finding, ``FILE: JSON.PATH: message`` (the path of the
document root is ``$``), then the summary line ``N passed, M failed``.
Exit status: 0 if every file passed, 1 if any failed, 2 on usage errors
(including an unreadable specs directory).

The specs directory is ``--specs DIR``, else ``$HERALD_SPECS`` (relative to the
repository root when relative); the references are never copied into the
repository (``scripts/fetch-specs.sh`` fetches them).

``--self-test`` proves the checker on the official Adaptive Cards samples
listed in ``adaptivecards-samples/MANIFEST.json`` and on built-in mutations
of them; it prints one line per check and the same summary line.

Only the Python standard library and ``jsonschema`` are used.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from jsonschema import Draft6Validator, ValidationError
from jsonschema.validators import validator_for

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"
CARD_SCHEMA_URI = "http://adaptivecards.io/schemas/adaptive-card.json"
MSTEAMS_WIDTH = "Full"
# Microsoft documents "The message size limit is 28 KB" for incoming webhooks
# (learn.microsoft.com, webhooks-and-connectors/how-to/add-incoming-webhook) and
# does not say whether a KB is 1,000 or 1,024 bytes. 28,000 is the reading that
# is safe under both, and Herald's Swift renderer uses the same number
# (TeamsRenderer.payloadByteLimit).
SIZE_LIMIT_BYTES = 28_000

CARD_SCHEMA_FILE = "adaptive-card-1.4.0.schema.json"
ENVELOPE_SCHEMA_FILE = "teams-webhook-envelope.schema.json"
SAMPLES_DIR = "adaptivecards-samples"
MANIFEST_FILE = "MANIFEST.json"
MANIFEST_SCHEMA_KEY = "1.4.0"

SPECS_DIR_VARIABLE = "HERALD_SPECS"

PIXEL_SIZE = re.compile(r"^[0-9]+px$")
COLUMN_WIDTH_KEYWORDS = ("auto", "stretch")
MAX_MESSAGE_CHARS = 400


class SpecsError(Exception):
    """A reference file in the specs directory is missing or unreadable."""


@dataclass(frozen=True)
class Finding:
    """One problem: where it is (a JSON path) and what is wrong."""

    path: str
    message: str

    def display_path(self) -> str:
        """Return the path for printing; the document root is shown as ``$``."""
        return self.path or "$"


def join_path(path: str, key: str | int) -> str:
    """Extend a JSON path by an object key (``a.b``) or an array index (``a[0]``)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def capitalize_first(value: str) -> str:
    """Upper-case the first character only: "extraLarge" -> "ExtraLarge"."""
    return value[:1].upper() + value[1:]


def shorten(text: str) -> str:
    """Cap a message so that huge values (data: URIs) do not flood the output."""
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    return text[: MAX_MESSAGE_CHARS - 1] + "\u2026"


def is_json_number(value: Any) -> bool:
    """True for JSON numbers (Python int/float, but not bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def default_specs_dir() -> Path | None:
    """``$HERALD_SPECS``, resolved against the repository root when relative; None when unset."""
    value = os.environ.get(SPECS_DIR_VARIABLE)
    if not value:
        return None
    return Path(__file__).resolve().parent.parent / value


def strict_json_loads(text: str) -> Any:
    """Parse JSON as RFC 8259 has it: no duplicate keys, no NaN or Infinity.

    Raises ValueError with a readable reason for either.
    """
    def pairs_to_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise ValueError(f"duplicate object key {json.dumps(key)}")
            result[key] = value
        return result

    def reject_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    return json.loads(text, object_pairs_hook=pairs_to_object, parse_constant=reject_constant)


def load_json_file(path: Path) -> Any:
    """Read a reference JSON file, turning any failure into SpecsError."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SpecsError(f"cannot read {path}: {error}") from error


# --------------------------------------------------------------------------
# The card schema and what is derived from it
# --------------------------------------------------------------------------


class CardSchema:
    """The Adaptive Card schema, its validator, and the exact enum sets derived from it.

    An *enum type* is a definition expressed as ``anyOf`` with one ``enum``
    branch (the real values) and one ``pattern`` branch (the loose
    case-insensitive match). ``enum_types`` maps each such definition name to
    its canonical values, in schema order.
    """

    REF_PREFIX = "#/definitions/"

    def __init__(self, schema: dict[str, Any]):
        self.schema = schema
        self.definitions: dict[str, Any] = schema["definitions"]
        self.validator = Draft6Validator(schema)
        self.enum_types = self._derive_enum_types()

    def _derive_enum_types(self) -> dict[str, tuple[str, ...]]:
        """Collect the canonical values of every enum-type definition."""
        enum_types = {}
        for name, definition in self.definitions.items():
            branches = definition.get("anyOf", [])
            enums = [branch["enum"] for branch in branches if "enum" in branch]
            patterns = [branch["pattern"] for branch in branches if "pattern" in branch]
            if len(enums) == 1 and patterns:
                enum_types[name] = tuple(capitalize_first(value) for value in enums[0])
        return enum_types

    def resolve(self, schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        """Follow ``$ref`` and single-reference ``allOf`` wrappers to a definition.

        Returns the definition name (None for an inline schema) and its body.
        The ``ImplementationsOf.*`` unions wrap every member as
        ``{"required": ["type"], "allOf": [{"$ref": ...}]}``; such a wrapper
        resolves to the referenced definition.
        """
        name = None
        while True:
            if "$ref" in schema:
                name = schema["$ref"][len(self.REF_PREFIX):]
                schema = self.definitions[name]
            elif set(schema) <= {"required", "allOf"} and len(schema.get("allOf", [])) == 1:
                schema = schema["allOf"][0]
            else:
                return name, schema

    def properties(self, schema: dict[str, Any]) -> dict[str, Any]:
        """All property schemas of an object schema, including inherited ones.

        Element definitions list inherited properties as ``{}`` placeholders
        and define them in ``Extendable.*`` through ``allOf``; a placeholder
        never hides the inherited definition.
        """
        merged: dict[str, Any] = {}
        for part in schema.get("allOf", []):
            merged.update(self.properties(self.resolve(part)[1]))
        for key, property_schema in schema.get("properties", {}).items():
            if property_schema or key not in merged:
                merged[key] = property_schema
        return merged


# --------------------------------------------------------------------------
# Schema validation with readable findings
# --------------------------------------------------------------------------


def _is_kind_mismatch(error: ValidationError) -> bool:
    """True if the error says the instance is another kind than the branch expects.

    That is a JSON type mismatch of the instance itself, or a wrong or
    missing ``type`` discriminator ("TextBlock" vs "Image").
    """
    relative = list(error.relative_path)
    if error.validator == "type" and not relative:
        return True
    if relative == ["type"] and error.validator in ("enum", "const"):
        return True
    return (error.validator == "required" and not relative
            and isinstance(error.instance, dict) and "type" not in error.instance
            and "type" in error.validator_value)


def leaf_errors(error: ValidationError) -> list[ValidationError]:
    """Replace an anyOf/oneOf failure by the errors of the one branch that was meant.

    When exactly one branch matches the instance's kind (JSON type and
    ``type`` discriminator), its errors are the real problem; otherwise the
    union error itself is kept.
    """
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub_error in error.context:
        branches.setdefault(sub_error.relative_schema_path[0], []).append(sub_error)
    plausible = [errors for errors in branches.values() if not any(map(_is_kind_mismatch, errors))]
    if len(plausible) != 1:
        return [error]
    return [leaf for sub_error in plausible[0] for leaf in leaf_errors(sub_error)]


def _error_findings(error: ValidationError, base: str) -> Iterator[Finding]:
    """Turn one leaf validation error into findings at the most precise path."""
    path = base
    for key in error.absolute_path:
        path = join_path(path, key)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        owner = error.instance.get("type", "this object")
        for key in sorted(set(error.instance) - allowed):
            yield Finding(join_path(path, key),
                          f"property not allowed in {owner} by the Adaptive Card 1.4 schema")
        return
    if error.validator in ("anyOf", "oneOf"):
        yield Finding(path, shorten(_union_message(error)))
        return
    yield Finding(path, shorten(error.message))


def _union_message(error: ValidationError) -> str:
    """Explain why no branch of an anyOf/oneOf accepted the instance."""
    instance = error.instance
    context = error.context
    if isinstance(instance, dict) and any(_is_kind_mismatch(e) for e in context):
        if "type" not in instance:
            return 'missing "type" (required on every element, action and inline object here)'
        allowed = sorted({value for e in context
                          if list(e.relative_path) == ["type"] and e.validator == "enum"
                          for value in e.validator_value})
        if allowed:
            return (f"type {json.dumps(instance['type'])} is not allowed here by the Adaptive Card "
                    f"1.4 schema; expected one of {', '.join(allowed)}")
    if context and all(e.validator == "type" and not e.relative_path for e in context):
        expected = " or ".join(str(e.validator_value) for e in context)
        return f"{json.dumps(instance)} is not of type {expected}"
    return f"{json.dumps(instance)} matches none of the allowed forms"


def schema_findings(validator: Any, instance: Any, base: str = "") -> list[Finding]:
    """Validate ``instance`` and return one finding per (narrowed) schema error."""
    findings = []
    for error in validator.iter_errors(instance):
        for leaf in leaf_errors(error):
            findings.extend(_error_findings(leaf, base))
    return _unique(findings)


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    """Drop repeated findings, keeping the first occurrence order."""
    return list(dict.fromkeys(findings))


# --------------------------------------------------------------------------
# Exact value checks (enums, pixel sizes, Column.width)
# --------------------------------------------------------------------------


class ExactValueChecker:
    """Walk a card alongside the schema and check enum and size values exactly.

    The walk follows each element's ``type`` to the matching definition, so
    ``TextRun.color``, ``TextBlock.weight``, ``Image.size`` or
    ``Column.width`` are checked against their own property definitions.
    Values of the wrong JSON type are left to the schema validator, except
    for enum-typed properties: their loose schema accepts any non-string.
    """

    def __init__(self, card_schema: CardSchema, *, canonical_case: bool):
        self.card_schema = card_schema
        self.canonical_case = canonical_case
        self.findings: list[Finding] = []

    def check(self, card: Any, base: str = "") -> list[Finding]:
        """Return the findings for a whole card (without its ``msteams`` key)."""
        self.findings = []
        self._walk(card, self.card_schema.schema, base)
        return self.findings

    def _walk(self, value: Any, schema: dict[str, Any], path: str) -> None:
        """Check ``value`` against ``schema`` and descend into its children."""
        name, body = self.card_schema.resolve(schema)
        if name in self.card_schema.enum_types:
            self._check_enum(value, name, path, pixel_allowed=False)
            return
        if "anyOf" in body:
            branch = self._select_branch(value, body["anyOf"])
            if branch is not None:
                self._walk(value, branch, path)
            return
        if isinstance(value, dict):
            properties = self.card_schema.properties(body)
            for key, child in value.items():
                if key in properties:
                    self._walk_property(child, name, key, properties[key], join_path(path, key))
        elif isinstance(value, list) and "items" in body:
            for index, item in enumerate(value):
                self._walk(item, body["items"], join_path(path, index))

    def _walk_property(self, value: Any, owner: str | None, key: str,
                       schema: dict[str, Any], path: str) -> None:
        """Check one property, applying the size rules before the generic walk."""
        if owner == "Column" and key == "width":
            self._check_column_width(value, path)
        elif self._is_pixel_property(schema):
            self._check_pixel_property(value, schema, path)
        else:
            self._walk(value, schema, path)

    @staticmethod
    def _is_pixel_property(schema: dict[str, Any]) -> bool:
        """True if the schema documents the property with pixel examples ("50px")."""
        examples = schema.get("examples")
        return bool(examples) and all(isinstance(e, str) and PIXEL_SIZE.match(e) for e in examples)

    def _check_pixel_property(self, value: Any, schema: dict[str, Any], path: str) -> None:
        """A pixel size "<int>px", or a value of the enum the property also allows."""
        if isinstance(value, str) and PIXEL_SIZE.match(value):
            return
        enum_names = [name for name, _ in map(self.card_schema.resolve, schema.get("anyOf", []))
                      if name in self.card_schema.enum_types]
        if enum_names:
            self._check_enum(value, enum_names[0], path, pixel_allowed=True)
        elif isinstance(value, str):
            self._add(path, f"{json.dumps(value)} is not a pixel size; expected an integer "
                            f"followed by px, like \"50px\"")

    def _check_column_width(self, value: Any, path: str) -> None:
        """Column.width: positive number, "<int>px", or exactly "auto" / "stretch"."""
        if is_json_number(value):
            if value <= 0:
                self._add(path, f"relative width {value} must be a positive number")
            return
        if not isinstance(value, str) or value in COLUMN_WIDTH_KEYWORDS or PIXEL_SIZE.match(value):
            return
        if value.lower() in COLUMN_WIDTH_KEYWORDS:
            hint = (f"; Column.width is compared case-sensitively by the JavaScript renderer, "
                    f"use \"{value.lower()}\"")
        elif re.fullmatch(r"[0-9]+(\.[0-9]+)?\*?", value):
            hint = "; give a relative width as a JSON number, not a string"
        else:
            hint = ""
        self._add(path, f"invalid Column width {json.dumps(value)}; expected \"auto\", "
                        f"\"stretch\", a positive number or a pixel size like \"50px\"{hint}")

    def _check_enum(self, value: Any, enum_name: str, path: str, *, pixel_allowed: bool) -> None:
        """Check a value against an enum type's canonical values.

        Non-strings are reported here because the schema lets them through:
        its ``pattern`` branch ignores anything that is not a string.
        """
        canonical = self.card_schema.enum_types[enum_name]
        expected = ", ".join(canonical)
        also = " or a pixel size like \"50px\"" if pixel_allowed else ""
        if not isinstance(value, str):
            self._add(path, f"{json.dumps(value)} is not a string; expected one of "
                            f"{expected}{also}")
            return
        if value in canonical:
            return
        same_letters = [item for item in canonical if item.lower() == value.lower()]
        if same_letters:
            if self.canonical_case:
                self._add(path, f"{json.dumps(value)} is not the canonical spelling of this "
                                f"{enum_name} value; use {json.dumps(same_letters[0])}")
            return
        self._add(path, f"unknown {enum_name} value {json.dumps(value)}; expected one of "
                        f"{expected}{also}")

    def _select_branch(self, value: Any, branches: list[dict[str, Any]]) -> dict[str, Any] | None:
        """Pick the anyOf branch that describes ``value`` (by JSON type and ``type``).

        If no branch fits but one is an enum type, that branch is returned so
        that a non-string value (which the loose enum schema accepts) is
        reported against it.
        """
        for branch in branches:
            if self._branch_accepts(value, branch):
                return branch
        return next((branch for branch in branches
                     if self.card_schema.resolve(branch)[0] in self.card_schema.enum_types), None)

    def _branch_accepts(self, value: Any, branch: dict[str, Any]) -> bool:
        """True if ``branch`` is meant for a value of this kind."""
        name, body = self.card_schema.resolve(branch)
        if name in self.card_schema.enum_types:
            return isinstance(value, str)
        if "anyOf" in body:
            return any(self._branch_accepts(value, member) for member in body["anyOf"])
        json_type = body.get("type")
        if json_type is not None and not self.card_schema.validator.is_type(value, json_type):
            return False
        discriminator = body.get("properties", {}).get("type", {}).get("enum")
        if discriminator is None or not isinstance(value, dict):
            return True
        if "type" not in value:
            return "type" not in branch.get("required", [])
        return value["type"] in discriminator

    def _add(self, path: str, message: str) -> None:
        """Record a finding."""
        self.findings.append(Finding(path, shorten(message)))


# --------------------------------------------------------------------------
# Card and envelope checks
# --------------------------------------------------------------------------


class Specs:
    """The reference files of the specs directory, loaded once."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.card_schema = CardSchema(load_json_file(directory / CARD_SCHEMA_FILE))
        envelope_schema = load_json_file(directory / ENVELOPE_SCHEMA_FILE)
        self.envelope_validator = validator_for(envelope_schema)(envelope_schema)

    def samples_dir(self) -> Path:
        """The directory holding the official Adaptive Cards samples."""
        return self.directory / SAMPLES_DIR


def without_msteams(card: dict[str, Any]) -> dict[str, Any]:
    """Return a shallow copy of the card without the Teams-only ``msteams`` key."""
    return {key: value for key, value in card.items() if key != "msteams"}


def card_schema_findings(card: Any, specs: Specs, base: str = "") -> list[Finding]:
    """Validate a bare card (``msteams`` removed) against the Adaptive Card 1.4 schema."""
    if isinstance(card, dict):
        card = without_msteams(card)
    return schema_findings(specs.card_schema.validator, card, base)


def card_exact_findings(card: Any, specs: Specs, base: str = "", *,
                        canonical_case: bool = True) -> list[Finding]:
    """Check every enum and size value of a bare card exactly."""
    if isinstance(card, dict):
        card = without_msteams(card)
    checker = ExactValueChecker(specs.card_schema, canonical_case=canonical_case)
    return checker.check(card, base)


def check_card(card: Any, specs: Specs, base: str = "", *,
               canonical_case: bool = True) -> list[Finding]:
    """All card-level checks for a bare Adaptive Card (no envelope, any version).

    A schema finding at a path that the exact check also reports is dropped,
    since the exact message says more.
    """
    exact = card_exact_findings(card, specs, base, canonical_case=canonical_case)
    exact_paths = {finding.path for finding in exact}
    schema = [f for f in card_schema_findings(card, specs, base) if f.path not in exact_paths]
    return _unique(schema + exact)


def herald_card_findings(card: dict[str, Any], base: str) -> list[Finding]:
    """The contract of docs/services.md for the card Herald sends: version, $schema, msteams."""
    findings = []
    if card.get("version") != CARD_VERSION:
        findings.append(Finding(join_path(base, "version"),
                                f"card version must be {json.dumps(CARD_VERSION)} "
                                f"(Workflows renders nothing newer), got "
                                f"{json.dumps(card.get('version'))}"))
    if card.get("$schema") != CARD_SCHEMA_URI:
        findings.append(Finding(join_path(base, "$schema"),
                                f"must be {json.dumps(CARD_SCHEMA_URI)}, got "
                                f"{json.dumps(card.get('$schema'))}"))
    msteams = card.get("msteams")
    if not isinstance(msteams, dict) or msteams.get("width") != MSTEAMS_WIDTH:
        findings.append(Finding(join_path(base, "msteams"),
                                f"must be an object with \"width\": {json.dumps(MSTEAMS_WIDTH)}"))
    return findings


def check_envelope(payload: Any, specs: Specs, *, canonical_case: bool = True) -> list[Finding]:
    """All checks for a Teams webhook envelope and the cards it carries."""
    findings = schema_findings(specs.envelope_validator, payload)
    attachments = payload.get("attachments") if isinstance(payload, dict) else None
    for index, attachment in enumerate(attachments if isinstance(attachments, list) else []):
        base = join_path("attachments", index)
        if not isinstance(attachment, dict):
            continue
        if attachment.get("contentUrl", "missing") is not None:
            findings.append(Finding(join_path(base, "contentUrl"),
                                    "must be present and null for an Adaptive Card attachment"))
        content = attachment.get("content")
        if isinstance(content, dict):
            card_base = join_path(base, "content")
            findings.extend(herald_card_findings(content, card_base))
            findings.extend(check_card(content, specs, card_base, canonical_case=canonical_case))
    return _unique(findings)


def body_byte_count(data: bytes) -> int:
    """The size of the request body a file holds: its bytes without one final line feed."""
    return len(data) - 1 if data.endswith(b"\n") else len(data)


def check_payload_bytes(data: bytes, specs: Specs, *, canonical_case: bool = True) -> list[Finding]:
    """Check the raw bytes of a payload file: UTF-8, JSON, size limit, then the envelope."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [Finding("", f"not valid UTF-8: {error}")]
    try:
        payload = strict_json_loads(text)
    except json.JSONDecodeError as error:
        return [Finding("", f"invalid JSON at line {error.lineno} column {error.colno}: "
                            f"{error.msg}")]
    except ValueError as error:
        return [Finding("", f"invalid JSON: {error}")]
    if isinstance(payload, list):
        return check_message_array(text, specs, canonical_case=canonical_case)
    findings = []
    body_size = body_byte_count(data)
    if body_size > SIZE_LIMIT_BYTES:
        findings.append(Finding("", f"payload is {body_size} bytes; Teams accepts at most "
                                    f"{SIZE_LIMIT_BYTES} bytes (28 KB) of UTF-8"))
    return findings + check_envelope(payload, specs, canonical_case=canonical_case)


def check_message_array(text: str, specs: Specs, *, canonical_case: bool) -> list[Finding]:
    """Check a JSON array of webhook messages, the several cards of one notification as Herald writes them
    (``herald render --payload``, golden files): each element, as the exact bytes it has in the file, is one
    request body."""
    decoder = json.JSONDecoder()
    findings: list[Finding] = []
    position = text.index("[") + 1
    index = 0
    while True:
        while text[position] in " \t\r\n,":
            position += 1
        if text[position] == "]":
            break
        _, end = decoder.raw_decode(text, position)
        element = text[position:end].encode("utf-8")
        for finding in check_payload_bytes(element, specs, canonical_case=canonical_case):
            inner = finding.path if not finding.path or finding.path.startswith("[") else "." + finding.path
            findings.append(Finding(f"[{index}]{inner}", finding.message))
        position = end
        index += 1
    if index == 0:
        findings.append(Finding("", "an empty array holds no webhook message"))
    return findings


def validate_files(paths: list[str], specs: Specs, out: Any, *, canonical_case: bool) -> int:
    """Validate payload files, print findings and the summary; return the exit status."""
    passed = failed = 0
    for name in paths:
        try:
            data = Path(name).read_bytes()
        except OSError as error:
            findings = [Finding("", f"cannot read file: {error.strerror or error}")]
        else:
            findings = check_payload_bytes(data, specs, canonical_case=canonical_case)
        for finding in findings:
            print(f"{name}: {finding.display_path()}: {finding.message}", file=out)
        if findings:
            failed += 1
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed", file=out)
    return 1 if failed else 0


# --------------------------------------------------------------------------
# Self-test
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    """A change to an official sample and what the checker must say about it.

    ``apply`` edits the card in place and returns the JSON path it changed.
    If ``expect_finding`` is true, the mutated card must have a finding at
    that path (and the original must not); otherwise the mutated card must
    pass like the original.
    """

    description: str
    sample: str
    apply: Callable[[dict[str, Any]], str]
    expect_finding: bool = True
    canonical_case: bool = True


def _first_element(card: dict[str, Any], element_type: str) -> tuple[dict[str, Any], str]:
    """Find the first element of a type in the card's body (depth first) and its path."""
    def search(node: Any, path: str) -> tuple[dict[str, Any], str] | None:
        if isinstance(node, dict):
            if node.get("type") == element_type:
                return node, path
            children: Iterable[tuple[str, Any]] = node.items()
        elif isinstance(node, list):
            children = enumerate(node)
        else:
            return None
        for key, child in children:
            found = search(child, join_path(path, key))
            if found:
                return found
        return None

    found = search(card.get("body", []), "body")
    if found is None:
        raise LookupError(f"no {element_type} in sample")
    return found


def _set_property(element_type: str, key: str, value: Any) -> Callable[[dict[str, Any]], str]:
    """A mutation that sets ``key`` on the first element of ``element_type``."""
    def apply(card: dict[str, Any]) -> str:
        element, path = _first_element(card, element_type)
        element[key] = value
        return join_path(path, key)
    return apply


def _set_first_inline(key: str, value: Any) -> Callable[[dict[str, Any]], str]:
    """A mutation that sets ``key`` on the first TextRun object of the first RichTextBlock."""
    def apply(card: dict[str, Any]) -> str:
        block, path = _first_element(card, "RichTextBlock")
        index = next(i for i, run in enumerate(block["inlines"]) if isinstance(run, dict))
        block["inlines"][index][key] = value
        return join_path(join_path(join_path(path, "inlines"), index), key)
    return apply


def _add_card_key(key: str, value: Any) -> Callable[[dict[str, Any]], str]:
    """A mutation that adds a top-level key to the card."""
    def apply(card: dict[str, Any]) -> str:
        card[key] = value
        return key
    return apply


MUTATIONS = (
    Mutation('TextBlock color "Goodish" (loose schema pattern accepts it)',
             "v1.0__Elements__TextBlock.Color.json", _set_property("TextBlock", "color", "Goodish"),
             canonical_case=False),
    Mutation('TextBlock weight "bolder" (wrong case for Herald)',
             "v1.0__Elements__TextBlock.Color.json", _set_property("TextBlock", "weight", "bolder")),
    Mutation('TextBlock size "Huge"',
             "v1.0__Elements__TextBlock.Color.json", _set_property("TextBlock", "size", "Huge"),
             canonical_case=False),
    Mutation('TextRun color "Goodish"',
             "v1.2__Elements__RichTextBlock.json", _set_first_inline("color", "Goodish"),
             canonical_case=False),
    Mutation('TextRun weight "BOLDER" (wrong case for Herald)',
             "v1.2__Elements__RichTextBlock.json", _set_first_inline("weight", "BOLDER")),
    Mutation('Image size "Huge"',
             "v1.0__Elements__Image.Size.json", _set_property("Image", "size", "Huge"),
             canonical_case=False),
    Mutation('Image height "Tall" (schema allows any string)',
             "v1.0__Elements__Image.json", _set_property("Image", "height", "Tall"),
             canonical_case=False),
    Mutation('Column width "Auto" (JS renderer compares case-sensitively)',
             "v1.0__Elements__ColumnSet.json", _set_property("Column", "width", "Auto"),
             canonical_case=False),
    Mutation('Column width "wide"',
             "v1.0__Elements__ColumnSet.json", _set_property("Column", "width", "wide"),
             canonical_case=False),
    Mutation('Column width "50px" is accepted',
             "v1.0__Elements__ColumnSet.json", _set_property("Column", "width", "50px"),
             expect_finding=False, canonical_case=False),
    Mutation('msteams at card level passes after removal',
             "v1.0__Elements__TextBlock.Color.json",
             _add_card_key("msteams", {"width": MSTEAMS_WIDTH}),
             expect_finding=False, canonical_case=False),
    Mutation('msteams inside a TextBlock is an unknown key',
             "v1.0__Elements__TextBlock.Color.json",
             _set_property("TextBlock", "msteams", {"width": MSTEAMS_WIDTH}),
             canonical_case=False),
    Mutation('unknown card-level key "summary"',
             "v1.0__Elements__TextBlock.Color.json", _add_card_key("summary", "x"),
             canonical_case=False),
)


def _load_sample(specs: Specs, name: str) -> Any:
    """Load one official sample card."""
    return load_json_file(specs.samples_dir() / name)


def _self_test_samples(specs: Specs) -> Iterator[tuple[bool, str]]:
    """Yield (as expected?, report line) for every sample listed in MANIFEST.json.

    Samples valid for 1.4 must pass every card check (enum casing as
    renderers parse it: the upstream samples are not Herald output and use
    lower case). Samples invalid for 1.4 must fail the schema itself, as
    MANIFEST.json records.
    """
    manifest = load_json_file(specs.samples_dir() / MANIFEST_FILE)
    for name, entry in sorted(manifest.items()):
        if not isinstance(entry, dict):
            continue
        expected_valid = entry["valid_against"][MANIFEST_SCHEMA_KEY]
        card = _load_sample(specs, name)
        if expected_valid:
            findings = check_card(card, specs, canonical_case=False)
            verdict = "valid for 1.4"
        else:
            findings = card_schema_findings(card, specs)
            verdict = "invalid for 1.4"
        ok = (not findings) == expected_valid
        detail = f"; first finding {findings[0].display_path()}: {findings[0].message}" \
            if findings else ""
        outcome = "passes" if not findings else f"fails ({len(findings)} findings)"
        yield ok, f"sample {name}: {verdict}, {outcome}{detail}"


def _self_test_mutations(specs: Specs) -> Iterator[tuple[bool, str]]:
    """Yield (as expected?, report line) for every built-in mutation."""
    for mutation in MUTATIONS:
        original = _load_sample(specs, mutation.sample)
        mutated = copy.deepcopy(original)
        path = mutation.apply(mutated)
        before = check_card(original, specs, canonical_case=mutation.canonical_case)
        after = check_card(mutated, specs, canonical_case=mutation.canonical_case)
        at_path = [finding for finding in after if finding.path == path]
        if mutation.expect_finding:
            ok = bool(at_path) and not any(finding.path == path for finding in before)
            detail = f"{path}: {at_path[0].message}" if at_path else f"no finding at {path}"
        else:
            ok = not after and not before
            detail = "passes" if not after else f"{after[0].display_path()}: {after[0].message}"
        mode = "canonical case" if mutation.canonical_case else "lenient case"
        yield ok, f"mutation {mutation.description} [{mutation.sample}, {mode}]: {detail}"


def self_test(specs: Specs, out: Any) -> int:
    """Run the sample and mutation checks, print results and summary; return exit status."""
    passed = failed = 0
    for ok, line in [*_self_test_samples(specs), *_self_test_mutations(specs)]:
        print(f"{'PASS' if ok else 'FAIL'} {line}", file=out)
        passed += ok
        failed += not ok
    print(f"{passed} passed, {failed} failed", file=out)
    return 1 if failed else 0


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="validate_teams.py",
        description="Validate Microsoft Teams webhook payloads (Adaptive Card 1.4) against the "
                    "reference schemas, with exact enum and size checks.",
        epilog="Findings are printed as 'FILE: JSON.PATH: message', followed by 'N passed, "
               "M failed'. Exit status: 0 all passed, 1 some failed, 2 usage error. "
               "Example: validate_teams.py golden/*/teams.json")
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="webhook envelope JSON files to validate")
    parser.add_argument("--specs", type=Path, default=None, metavar="DIR",
                        help="directory with the reference schemas and samples (default: "
                             f"${SPECS_DIR_VARIABLE})")
    parser.add_argument("--lenient-case", action="store_true",
                        help="accept enum values in any letter case, as Adaptive Card renderers "
                             "parse them, instead of requiring the canonical spelling Herald "
                             "emits (\"Bolder\", \"Attention\"); for third-party cards")
    parser.add_argument("--self-test", action="store_true",
                        help="check the checker: official samples from MANIFEST.json must pass "
                             "or fail as recorded, and built-in mutations must be caught "
                             "(each check sets its own case mode)")
    return parser


def main(argv: list[str] | None = None, out: Any = None) -> int:
    """Entry point; returns the process exit status."""
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test == bool(args.files):
        parser.error("give either one or more FILEs or --self-test")
    directory = args.specs or default_specs_dir()
    if directory is None:
        print(f"error: no specs directory: give --specs DIR or set ${SPECS_DIR_VARIABLE}", file=sys.stderr)
        return 2
    try:
        specs = Specs(directory)
    except SpecsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.self_test:
        return self_test(specs, out)
    return validate_files(args.files, specs, out, canonical_case=not args.lenient_case)


if __name__ == "__main__":
    sys.exit(main())
