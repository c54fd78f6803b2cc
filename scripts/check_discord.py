#!/usr/bin/env python3
"""Checks Discord webhook bodies that Herald rendered, and reads their Markdown back.

Reads a JSON array of {"name": ..., "payload": <webhook body>} on standard input and writes a JSON array of
{"name", "findings": [...], "read": {...}} on standard output, nothing else; exits 1 when any payload has a finding.

Each payload is checked against Discord's documented rules for a webhook's execute:
  - every embed loads into discord.py's `discord.Embed.from_dict` and comes back from `to_dict()` unchanged (so it holds
    no key or type discord.py does not know), and meets the embed limits: title 256, description 4096, footer 2048,
    author 256, 25 fields (name 256, value 1024), 6000 characters across all embeds, at most 10 embeds; a color is
    0 to 0xFFFFFF; counted in code points and again in UTF-16 code units (Herald promises both);
  - `content` holds at most 2000 characters; `allowed_mentions` is exactly {"parse": []}; at most 10 `attachments`,
    numbered 0, 1, ... with a file name; no other top-level key.

"read" is what a Discord user sees, from a reader of Discord's Markdown subset written after its documented rules
(simple-markdown's, which Discord's client is built on, with Discord's own rules for mentions, emoji, timestamps,
spoilers, headings, lists and quotes): for the title and the description, a list of nodes
  {"text", "b", "i", "s", "c", "link"}  text and its bold, italic, strikethrough, inline code and link target,
  {"br": true}                          a line break,
  {"codeblock", "lang"}                 a fenced code block,
  {"heading", "nodes"}                  a heading line,
  {"markup", "raw"}                     anything Herald never writes: a mention, an emoji, a URL, a spoiler, an
                                        underline, a quote, a list, ...: always a finding;
plus "color" (the side color) and "files" (the attachments' file names).
"""

import json
import re
import sys

import discord

LINK_INSIDE = r"(?:\[[^\]]*\]|[^\[\]]|\](?=[^\[]*\]))*"
LINK_HREF_AND_TITLE = r"\s*<?((?:\([^)]*\)|[^\s\\]|\\.)*?)>?(?:\s+['\"]([\s\S]*?)['\"])?\s*"

CODE_BLOCK = re.compile(r"^```(?:([A-Za-z0-9_+.-]+?)\n)?\n*([^\n][\s\S]*?)\n*```")
QUOTE = re.compile(r"^( *>>> +([\s\S]*))|^( *>(?!>>) +[^\n]*(\n *>(?!>>) +[^\n]*)*\n?)")
HEADING = re.compile(r"^(#{1,3}) +([^\n]+)")
SUBTEXT = re.compile(r"^-# +[^\n]+")
LIST = re.compile(r"^( *)([*+-]|\d+\.) +[^\n]*")
ESCAPE = re.compile(r"^\\([^0-9A-Za-z\s])")
AUTOLINK = re.compile(r"^<([^: >]+:\/[^ >]+)>")
MAILTO = re.compile(r"^<([^ >]+@[^ >]+)>")
URL = re.compile(r"^((?:https?|steam):\/\/[^\s<]+[^<.,:;\"')\]\s])")
LINK = re.compile(r"^\[(" + LINK_INSIDE + r")\]\(" + LINK_HREF_AND_TITLE + r"\)")
STRONG = re.compile(r"^\*\*((?:\\[\s\S]|[^\\])+?)\*\*(?!\*)")
UNDERLINE = re.compile(r"^__((?:\\[\s\S]|[^\\])+?)__(?!_)")
# JavaScript's \b knows ASCII word characters only: `_\b` is `_` not followed by one.
EM = re.compile(
    r"^_((?:__|\\[\s\S]|[^\\_])+?)_(?![0-9A-Za-z_])"
    r"|^\*(?=\S)((?:\*\*|\\[\s\S]|\s+(?:\\[\s\S]|[^\s\*\\]|\*\*)|[^\s\*\\])+?)\*(?!\*)"
)
STRIKE = re.compile(r"^~~([\S\s]+?)~~(?!_)")
INLINE_CODE = re.compile(r"^(`+)([\s\S]*?[^`])\1(?!`)")
INLINE_CODE_TRIM = re.compile(r"^ (?= *`)|(` *) $")
BR = re.compile(r"^ {2,}\n")
CUSTOM_EMOJI = re.compile(r"^<a?:(\w+):(\d+)>", re.ASCII)
EMOJI = re.compile(r"^:([^\s:]+?(?:::skin-tone-\d)?):")
EMOTE = re.compile(r"^¯\\_\(ツ\)_\/¯")
MENTION = re.compile(r"^<(@!?|@&|#)\d+>|^<(\/(?! )[\w -]*[\w-]):\d+>|^(@(?:everyone|here))", re.ASCII)
SPOILER = re.compile(r"^\|\|([\S\s]+?)\|\|")
TIMESTAMP = re.compile(r"^<t:-?\d+(?::[tTdDfFR])?>")
NAVIGATION = re.compile(r"^<id:[a-z-]+(?::\d+)?>")
TEXT = re.compile(r"^[\s\S]+?(?=[^0-9A-Za-z\s\u00c0-\uffff]|\n\n| {2,}\n|[0-9A-Za-z_]+:\S|$)")
UNESCAPE_URL = re.compile(r"\\([^0-9A-Za-z\s])")


def styled(nodes, **style):
    for node in nodes:
        if "text" in node:
            for key, value in style.items():
                if key == "link":
                    node["link"] = node.get("link") or value
                else:
                    node[key] = True
        elif "heading" in node:
            styled(node["nodes"], **style)
    return nodes


def parse(source, line_start=True, nested=False):
    """Discord's rules, in the order its parser tries them; the first that matches wins, but among bold, underline
    and italic (one rule order) the longest match does, as in simple-markdown."""
    nodes = []
    at_line_start = line_start
    while source:
        match = None
        node = None
        if m := CODE_BLOCK.match(source):
            match, node = m, [{"codeblock": m.group(2), "lang": m.group(1) or ""}]
        elif at_line_start and not nested and (m := QUOTE.match(source)):
            match, node = m, [{"markup": "quote", "raw": m.group(0)}]
        elif at_line_start and not nested and (m := HEADING.match(source)):
            match, node = m, [{"heading": len(m.group(1)), "nodes": parse(m.group(2), False, True)}]
        elif at_line_start and not nested and (m := SUBTEXT.match(source)):
            match, node = m, [{"markup": "subtext", "raw": m.group(0)}]
        elif at_line_start and not nested and (m := LIST.match(source)):
            match, node = m, [{"markup": "list", "raw": m.group(0)}]
        elif m := ESCAPE.match(source):
            match, node = m, [{"text": m.group(1)}]
        elif m := AUTOLINK.match(source):
            match, node = m, [{"markup": "autolink", "raw": m.group(0)}]
        elif m := MAILTO.match(source):
            match, node = m, [{"markup": "mailto", "raw": m.group(0)}]
        elif m := URL.match(source):
            match, node = m, [{"markup": "url", "raw": m.group(0)}]
        elif m := LINK.match(source):
            target = UNESCAPE_URL.sub(r"\1", m.group(2))
            inner = parse(m.group(1), False, True)
            if re.match(r"^https?://", target, re.IGNORECASE):
                inner = styled(inner, link=target)
            match, node = m, inner
        else:
            candidates = []
            if m := STRONG.match(source):
                candidates.append((len(m.group(0)) + 0.1, m, "b"))
            if m := UNDERLINE.match(source):
                candidates.append((len(m.group(0)), m, "u"))
            if m := EM.match(source):
                candidates.append((len(m.group(0)) + 0.2, m, "i"))
            if candidates:
                _, m, kind = max(candidates, key=lambda candidate: candidate[0])
                content = m.group(1) if m.group(1) is not None else m.group(2)
                if kind == "u":
                    match, node = m, [{"markup": "underline", "raw": m.group(0)}]
                else:
                    match, node = m, styled(parse(content, False, True), **{kind: True})
            elif m := STRIKE.match(source):
                match, node = m, styled(parse(m.group(1), False, True), s=True)
            elif m := INLINE_CODE.match(source):
                code = INLINE_CODE_TRIM.sub(lambda g: g.group(1) or "", m.group(2))
                match, node = m, [{"text": code, "c": True}]
            elif m := BR.match(source):
                match, node = m, [{"br": True}]
            else:
                for pattern, kind in ((CUSTOM_EMOJI, "custom emoji"), (EMOJI, "emoji"), (MENTION, "mention"),
                                      (SPOILER, "spoiler"), (TIMESTAMP, "timestamp"), (NAVIGATION, "navigation")):
                    if m := pattern.match(source):
                        match, node = m, [{"markup": kind, "raw": m.group(0)}]
                        break
                else:
                    if m := EMOTE.match(source):
                        match, node = m, [{"text": m.group(0)}]
                    else:
                        m = TEXT.match(source)
                        match, node = m, [{"text": m.group(0)}]
        consumed = match.group(0)
        nodes.extend(node)
        if "\n" in consumed:
            at_line_start = consumed.rsplit("\n", 1)[1].strip(" ") == ""
        else:
            at_line_start = at_line_start and consumed.strip(" ") == ""
        source = source[len(consumed):]
    return normalized(nodes)


def normalized(nodes):
    """Text split at line feeds into line breaks; neighbours of one style merged; empty text dropped."""
    result = []
    for node in nodes:
        if "text" in node:
            for index, piece in enumerate(node["text"].split("\n")):
                if index > 0:
                    result.append({"br": True})
                if piece:
                    style = {key: node.get(key, False) for key in ("b", "i", "s", "c")}
                    style["link"] = node.get("link")
                    if result and "text" in result[-1] and all(result[-1][k] == v for k, v in style.items()):
                        result[-1]["text"] += piece
                    else:
                        result.append({"text": piece, **style})
        else:
            result.append(node)
    return result


def utf16_length(text):
    return len(text.encode("utf-16-le")) // 2


def check(payload):
    findings = []
    if not isinstance(payload, dict):
        return ["the payload is not a JSON object"], {}
    known = {"allowed_mentions", "attachments", "embeds", "content"}
    for key in sorted(set(payload) - known):
        findings.append(f"unexpected key {key!r}")
    if payload.get("allowed_mentions") != {"parse": []}:
        findings.append(f"allowed_mentions is {payload.get('allowed_mentions')!r}, not {{'parse': []}}")
    content = payload.get("content")
    if content is not None and (not isinstance(content, str) or max(len(content), utf16_length(content)) > 2000):
        findings.append("content is not a string of at most 2000 characters")
    embeds = payload.get("embeds", [])
    read = {"embeds": [], "files": []}
    if not isinstance(embeds, list) or len(embeds) > 10:
        findings.append("embeds is not a list of at most 10")
        embeds = []
    total = 0
    for index, data in enumerate(embeds):
        try:
            embed = discord.Embed.from_dict(data)
        except Exception as error:  # noqa: BLE001 - any failure of discord.py is a finding
            findings.append(f"embeds[{index}]: discord.Embed.from_dict failed: {error}")
            continue
        back = embed.to_dict()
        back.pop("type", None)
        if back.get("flags") == 0:
            back.pop("flags")
        if back != data:
            findings.append(f"embeds[{index}]: discord.py reads it as {back!r}, not as written")
        limits = {"title": 256, "description": 4096}
        for key, limit in limits.items():
            text = data.get(key)
            if text is not None:
                if not isinstance(text, str) or not text:
                    findings.append(f"embeds[{index}].{key} is not a non-empty string")
                    continue
                if max(len(text), utf16_length(text)) > limit:
                    findings.append(f"embeds[{index}].{key} has {len(text)} characters ({utf16_length(text)} UTF-16 units); Discord takes {limit}")
                total += max(len(text), utf16_length(text))
        for key in ("footer", "author", "fields"):
            if key in data:
                findings.append(f"embeds[{index}].{key}: Herald writes none")
        color = data.get("color")
        if color is not None and not (isinstance(color, int) and 0 <= color <= 0xFFFFFF):
            findings.append(f"embeds[{index}].color {color!r} is not 0 to 0xFFFFFF")
        if len(embed) > 6000:
            findings.append(f"embeds[{index}]: discord.py counts {len(embed)} characters; Discord takes 6000")
        read["embeds"].append({
            "title": parse(data["title"], False, True) if "title" in data else [],
            "description": parse(data["description"]) if "description" in data else [],
            "color": color,
        })
    if total > 6000:
        findings.append(f"the embeds hold {total} characters; Discord takes 6000 in all")
    attachments = payload.get("attachments", [])
    if not isinstance(attachments, list) or len(attachments) > 10:
        findings.append("attachments is not a list of at most 10")
        attachments = []
    for index, attachment in enumerate(attachments):
        if not isinstance(attachment, dict) or set(attachment) != {"id", "filename"} or attachment.get("id") != index \
                or not isinstance(attachment.get("filename"), str) or not attachment["filename"]:
            findings.append(f"attachments[{index}] is not {{'id': {index}, 'filename': <name>}}")
        else:
            read["files"].append(attachment["filename"])
    for embed in read["embeds"]:
        for node in flattened(embed["title"] + embed["description"]):
            if "markup" in node:
                findings.append(f"user text became Discord markup ({node['markup']}): {node['raw'][:80]!r}")
    return findings, read


def flattened(nodes):
    for node in nodes:
        yield node
        if "heading" in node:
            yield from flattened(node["nodes"])


def main():
    items = json.load(sys.stdin)
    results = []
    failed = 0
    for item in items:
        findings, read = check(item["payload"])
        failed += bool(findings)
        results.append({"name": item["name"], "findings": findings, "read": read})
    json.dump(results, sys.stdout, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
