#!/usr/bin/env python3
"""Checks Herald's Telegram payloads with Telethon and reads them back.

Usage: check_telegram.py < messages.json

Standard input is {"messages": [{"name": "...", "payload": [Bot API calls of one message]}]}. For every call the
script checks the method and its parameters, and reads the HTML of `text` or `caption` with Telethon's HTML
parser (`telethon.extensions.html`, Telethon's implementation of Telegram's HTML entity rules) into text and
entities. Telethon's `html.parse` also strips Unicode white space at both ends of the text, which Telegram does
not (TDLib trims only spaces and line feeds): the reading is the parser's own text and entities, and the script
checks that `html.parse` gives the same after that strip. Then it checks what Telegram itself would refuse or
change, as TDLib does (td/telegram/MessageEntity.cpp, misc.cpp):
- at most 4096 UTF-16 code units of text (1024 for a caption), 100 entities and 32768 bytes of HTML;
- only bold, italic, strikethrough, code, pre and text-link entities, links to http(s) hosts with a dot;
- no space or line feed at either end of the text, nor at the start of an entity other than a link;
- no character TDLib changes (controls but line feed, U+2028 to U+202E, U+0333, U+033F, U+030A, two direction
  marks in a row), no text that shows nothing;
- no `@name` that Telegram would make a mention, outside code and links.

It prints one JSON object on standard output: {"findings": [one line per problem], "readings": [{"name", "calls":
[{"method", "text", "entities", "files", "photos", "caption_above"}]}]}, and exits 1 when there is a finding, 0 otherwise.
"""

import json
import re
import sys
import unicodedata

from telethon.extensions import html
from telethon.helpers import add_surrogate, del_surrogate, strip_text
from telethon.tl.types import (MessageEntityBold, MessageEntityCode, MessageEntityItalic, MessageEntityPre,
                               MessageEntityStrike, MessageEntityTextUrl)

TEXT_UNITS = 4096
CAPTION_UNITS = 1024
ENTITIES = 100
HTML_BYTES = 1 << 15
ALBUM = range(2, 11)

ENTITY_NAMES = {
    MessageEntityBold: "bold",
    MessageEntityItalic: "italic",
    MessageEntityStrike: "strikethrough",
    MessageEntityCode: "code",
    MessageEntityPre: "pre",
    MessageEntityTextUrl: "text_url",
}
CAPTION_KEYS = {"caption", "parse_mode", "show_caption_above_media"}
ALLOWED_KEYS = {
    "sendMessage": {"method", "text", "parse_mode", "link_preview_options"},
    "sendPhoto": {"method", "photo"} | CAPTION_KEYS,
    "sendDocument": {"method", "document"},
    "sendMediaGroup": {"method", "media"},
}
ATTACH = re.compile(r"attach://(file[1-9][0-9]*)\Z")
# TDLib's is_empty_string: characters that show nothing.
EMPTY = set(" \n\u00a0\u200b\u200c\u200d\u200e\u200f\u202e\ufeff")


def is_word(character):
    """TDLib's is_word_character: a letter, a number or `_`."""
    return character == "_" or unicodedata.category(character)[0] in "LN"


def mentions(text):
    """Offsets (UTF-16) and lengths of what TDLib's match_mentions reads as mentions in `text` (surrogated)."""
    found = []
    for match in re.finditer(r"@([A-Za-z0-9_]+)", text):
        start, end = match.span()
        if start > 0 and is_word(text[start - 1]):
            continue
        if not 2 <= end - start - 1 <= 32:
            continue
        if end < len(text) and is_word(text[end]):
            continue
        found.append((start, end - start))
    return found


def merged(entities):
    """The entities as TDLib keeps them (split_entities): touching or overlapping bold, italic and strikethrough
    entities of one type joined into one."""
    result = []
    for entity in sorted(entities, key=lambda entity: entity.offset):
        last = next((kept for kept in reversed(result) if type(kept) is type(entity)), None)
        splittable = isinstance(entity, (MessageEntityBold, MessageEntityItalic, MessageEntityStrike))
        if splittable and last is not None and entity.offset <= last.offset + last.length:
            last.length = max(last.length, entity.offset + entity.length - last.offset)
            continue
        result.append(type(entity)(**{key: value for key, value in entity.to_dict().items() if key != "_"}))
    return result


def read_html(source):
    """Telethon's reading of `source`: the parser's text and entities, before html.parse strips the ends."""
    parser = html.HTMLToTelegramParser()
    parser.feed(add_surrogate(source))
    parser.close()
    entities = sorted(parser.entities, key=lambda entity: entity.offset)
    return parser.text, entities


def check_text(source, limit, where, findings):
    """Checks one `text` or `caption`; returns its reading (surrogated text and entities)."""
    if len(source.encode("utf-8")) > HTML_BYTES:
        findings.append(f"{where}: {len(source.encode('utf-8'))} bytes of HTML; the Bot API reads at most {HTML_BYTES}")
    text, entities = read_html(source)
    copies = [type(entity)(**{key: value for key, value in entity.to_dict().items() if key != "_"}) for entity in entities]
    stripped = del_surrogate(strip_text(text, copies))
    parsed_text, parsed_entities = html.parse(source)
    def key(entity):
        return entity.offset, entity.length, type(entity).__name__
    if parsed_text != stripped or [entity.to_dict() for entity in sorted(parsed_entities, key=key)] != [
            entity.to_dict() for entity in sorted(copies, key=key)]:
        findings.append(f"{where}: html.parse reads something other than its parser followed by strip_text")
    if len(text) > limit:
        findings.append(f"{where}: {len(text)} UTF-16 code units of text; Telegram takes at most {limit}")
    if len(entities) > ENTITIES:
        findings.append(f"{where}: {len(entities)} entities; Telegram keeps at most {ENTITIES}")
    if text and (text[0] in " \n" or text[-1] in " \n"):
        findings.append(f"{where}: the text begins or ends with a space or line feed, which Telegram removes")
    if all(character in EMPTY for character in text):
        findings.append(f"{where}: the text shows nothing; Telegram refuses it")
    for character in set(text):
        code = ord(character)
        if (code < 0x20 and character != "\n") or 0x2028 <= code <= 0x202E or code in (0x0333, 0x033F, 0x030A):
            findings.append(f"{where}: U+{code:04X}, which Telegram changes or removes")
    if re.search("[\u200e\u200f]{2}", text):
        findings.append(f"{where}: two direction marks in a row, which Telegram changes")
    protected = []
    for entity in merged(entities):
        name = ENTITY_NAMES.get(type(entity))
        if name is None:
            findings.append(f"{where}: a {type(entity).__name__} entity, which Herald does not write")
            continue
        if name in ("code", "pre", "text_url"):
            protected.append(range(entity.offset, entity.offset + entity.length))
        if name != "text_url" and text[entity.offset:entity.offset + 1] in (" ", "\n"):
            findings.append(f"{where}: a {name} entity starts with white space, which Telegram moves it past")
        if name == "text_url" and not re.match(r"https?://[^/?#]*\.[^/?#]*", entity.url, re.IGNORECASE):
            findings.append(f"{where}: link {entity.url!r} is not one Telegram makes clickable")
    for offset, length in mentions(text):
        if not any(offset in span for span in protected):
            findings.append(f"{where}: {text[offset:offset + length]!r} would be a mention")
    return text, entities


def entity_json(entity):
    """An entity as {"type", "offset", "length", "language"?, "url"?}."""
    value = {"type": ENTITY_NAMES.get(type(entity), type(entity).__name__), "offset": entity.offset,
             "length": entity.length}
    if isinstance(entity, MessageEntityPre) and entity.language:
        value["language"] = entity.language
    if isinstance(entity, MessageEntityTextUrl):
        value["url"] = entity.url
    return value


def check_call(call, where, findings):
    """Checks one Bot API call; returns its reading."""
    if not isinstance(call, dict) or call.get("method") not in ALLOWED_KEYS:
        findings.append(f"{where}: not a sendMessage, sendPhoto, sendDocument or sendMediaGroup call")
        return None
    method = call["method"]
    unknown = set(call) - ALLOWED_KEYS[method]
    if unknown:
        findings.append(f"{where}: unexpected parameters {sorted(unknown)}")
    reading = {"method": method, "text": None, "entities": [], "files": [], "photos": [], "caption_above": False}

    def attach(reference, photo):
        match = ATTACH.match(reference) if isinstance(reference, str) else None
        if not match:
            findings.append(f"{where}: {reference!r} is not an attach://fileN reference")
            return
        reading["files"].append(match.group(1))
        reading["photos"].append(photo)

    def read_caption(holder, label):
        if "caption" not in holder:
            if CAPTION_KEYS & set(holder):
                findings.append(f"{label}: parse_mode or show_caption_above_media without a caption")
            return
        if holder.get("parse_mode") != "HTML":
            findings.append(f"{label}: a caption without parse_mode HTML")
        if holder.get("show_caption_above_media", True) is not True:
            findings.append(f"{label}: show_caption_above_media is written only when true")
        reading["caption_above"] = holder.get("show_caption_above_media", False)
        text, entities = check_text(holder["caption"], CAPTION_UNITS, label, findings)
        reading["text"] = del_surrogate(text)
        reading["entities"] = [entity_json(entity) for entity in entities]

    if method == "sendMessage":
        if call.get("parse_mode") != "HTML" or call.get("link_preview_options") != {"is_disabled": True}:
            findings.append(f"{where}: sendMessage without parse_mode HTML and disabled link previews")
        if not isinstance(call.get("text"), str):
            findings.append(f"{where}: sendMessage without text")
        else:
            text, entities = check_text(call["text"], TEXT_UNITS, where, findings)
            reading["text"] = del_surrogate(text)
            reading["entities"] = [entity_json(entity) for entity in entities]
    elif method == "sendPhoto":
        attach(call.get("photo"), True)
        read_caption(call, where)
    elif method == "sendDocument":
        attach(call.get("document"), False)
    else:
        media = call.get("media")
        if not isinstance(media, list) or len(media) not in ALBUM:
            findings.append(f"{where}: an album holds 2 to 10 photos")
            media = media if isinstance(media, list) else []
        for index, item in enumerate(media):
            label = f"{where}: media[{index}]"
            if not isinstance(item, dict) or item.get("type") != "photo" or set(item) - {"type", "media"} - CAPTION_KEYS:
                findings.append(f"{label}: not a photo")
                continue
            attach(item.get("media"), True)
            if index > 0 and "caption" in item:
                findings.append(f"{label}: only the first photo of an album carries the caption")
            read_caption(item, label)
    return reading


def main():
    messages = json.load(sys.stdin)["messages"]
    findings = []
    readings = []
    for message in messages:
        name = message["name"]
        calls = message["payload"]
        if not isinstance(calls, list):
            findings.append(f"{name}: the payload is not a list of calls")
            continue
        reading = {"name": name, "calls": []}
        for index, call in enumerate(calls):
            call_reading = check_call(call, f"{name}: call {index + 1}", findings)
            if call_reading is not None:
                reading["calls"].append(call_reading)
        texts = [call for call in reading["calls"] if call["text"] is not None]
        if len(texts) > 1:
            findings.append(f"{name}: {len(texts)} calls carry text; a message's text is one call")
        files = [file for call in reading["calls"] for file in call["files"]]
        if files != [f"file{index + 1}" for index in range(len(files))]:
            findings.append(f"{name}: attachments referenced as {files}, not file1, file2, ... in order")
        readings.append(reading)
    json.dump({"findings": findings, "readings": readings}, sys.stdout, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
