#!/usr/bin/env python3
"""Checks Slack message bodies as Herald renders them, with slack-sdk's Block Kit models.

Usage: check_slack.py FILE... (a body per file, or a JSON array of bodies: a notification sent as several messages)

Each body must be strict JSON (no duplicate keys, no NaN) of the form {"blocks", "text", "unfurl_links": false,
"unfurl_media": false}. Every block must load with slack_sdk.models.blocks.Block.parse as a header or section
block, pass its validate_json() (slack-sdk's checks of Slack's documented limits: section text 3000 characters,
header 150), and give the same JSON back from to_dict(), so that slack-sdk dropped or added nothing (an empty
text, an unknown key). On top of slack-sdk, the checks Slack documents but slack-sdk does not make: at most 50 blocks,
the fallback text at most 40,000 characters, every limit also counted in UTF-16 code units (Herald's count), and no
mention, channel or special command (<!channel>, <@U…>, <#C…>) anywhere: the only <!…> Herald writes is the
unformattable date that keeps a formatting character literal.

Prints one line per finding ("FILE: where: what"), then "N passed, M failed"; exits 1 when any body failed.
"""

import json
import re
import sys

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, HeaderBlock, SectionBlock

MAXIMUM_BLOCKS = 50
MAXIMUM_FALLBACK = 40_000
MAXIMUM_TEXT = {"header": 150, "section": 3000}
TEXT_OBJECT = {"header": {"type": "plain_text", "emoji": False}, "section": {"type": "mrkdwn", "verbatim": True}}
BLOCK_CLASSES = {"header": HeaderBlock, "section": SectionBlock}
NEUTRALISING_DATE = "<!date^00000000^{_}|"
SPECIAL = re.compile(r"<[!@#]")


def utf16_length(text):
    return len(text.encode("utf-16-le")) // 2


def strict_json(raw):
    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate keys {sorted(keys)}")
        return dict(pairs)

    def no_constant(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(raw, object_pairs_hook=no_duplicates, parse_constant=no_constant)


def special_syntax(text):
    """Every <!…>, <@…> or <#…> that is not the neutralising date."""
    return [match.start() for match in SPECIAL.finditer(text) if not text.startswith(NEUTRALISING_DATE, match.start())]


def check_block(block, where):
    findings = []
    if not isinstance(block, dict):
        return [f"{where}: not an object"]
    kind = block.get("type")
    if kind not in BLOCK_CLASSES:
        return [f"{where}: type {kind!r} is not a header or section block"]
    parsed = Block.parse(block)
    if not isinstance(parsed, BLOCK_CLASSES[kind]):
        return [f"{where}: slack-sdk does not load it as a {kind} block"]
    try:
        parsed.validate_json()
        again = parsed.to_dict()
    except SlackObjectFormationError as error:
        return [f"{where}: slack-sdk: {error}"]
    if again != block:
        findings.append(f"{where}: slack-sdk gives back {json.dumps(again, sort_keys=True)[:200]}")
    text = block.get("text")
    if not isinstance(text, dict) or not isinstance(text.get("text"), str) or not text["text"]:
        return findings + [f"{where}: no non-empty text object"]
    for key, value in TEXT_OBJECT[kind].items():
        if text.get(key) != value:
            findings.append(f"{where}.text.{key}: {text.get(key)!r}, expected {value!r}")
    if set(text) != set(TEXT_OBJECT[kind]) | {"text"}:
        findings.append(f"{where}.text: keys {sorted(text)}")
    if utf16_length(text["text"]) > MAXIMUM_TEXT[kind]:
        findings.append(f"{where}.text: {utf16_length(text['text'])} UTF-16 code units, over {MAXIMUM_TEXT[kind]}")
    if kind == "section":
        findings += [f"{where}.text: special syntax at {position}" for position in special_syntax(text["text"])]
    return findings


def check_message(message, where):
    if not isinstance(message, dict):
        return [f"{where}: not an object"]
    findings = []
    if set(message) != {"blocks", "text", "unfurl_links", "unfurl_media"}:
        findings.append(f"{where}: keys {sorted(message)}, expected blocks, text, unfurl_links, unfurl_media")
    if message.get("unfurl_links") is not False or message.get("unfurl_media") is not False:
        findings.append(f"{where}: unfurl_links and unfurl_media must be false")
    blocks = message.get("blocks")
    if not isinstance(blocks, list):
        return findings + [f"{where}.blocks: not a list"]
    if len(blocks) > MAXIMUM_BLOCKS:
        findings.append(f"{where}.blocks: {len(blocks)} blocks, over {MAXIMUM_BLOCKS}")
    for index, block in enumerate(blocks):
        findings += check_block(block, f"{where}.blocks[{index}]")
    text = message.get("text")
    if not isinstance(text, str):
        return findings + [f"{where}.text: not a string"]
    if not text and blocks:
        findings.append(f"{where}.text: empty, though the message has blocks")
    if max(len(text), utf16_length(text)) > MAXIMUM_FALLBACK:
        findings.append(f"{where}.text: {utf16_length(text)} UTF-16 code units, over {MAXIMUM_FALLBACK}")
    findings += [f"{where}.text: special syntax at {position}" for position in special_syntax(text)]
    return findings


def check_file(path):
    try:
        with open(path, "rb") as file:
            body = strict_json(file.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return [f"not a strict JSON file: {error}"]
    if isinstance(body, list):
        if not body:
            return ["an empty list of messages"]
        return [finding for index, message in enumerate(body) for finding in check_message(message, f"[{index}]")]
    return check_message(body, "body")


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        findings = check_file(path)
        for finding in findings:
            print(f"{path}: {finding}")
        failed += bool(findings)
    print(f"{len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
