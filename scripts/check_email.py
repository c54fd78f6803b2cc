#!/usr/bin/env python3
"""Reads e-mails with Python's own email package (policy.default) and reports what a receiver would see.

Usage: check_email.py [--output JSON] FILE...   (each FILE one RFC 5322 message, as SMTP delivers it)
       check_email.py --tree FILE                (print the MIME tree of one message)

Writes one JSON array (to JSON, else to standard output), an object per file:
  problems   everything wrong: the parser's defects (of the message and of every part), lines over 998 octets, line
             breaks other than CRLF, bytes outside ASCII, missing or unparsable header fields, cid: references in the
             HTML that name no part, inline parts nobody references
  tree       the MIME tree, one line per part, indented two spaces per level
  subject, from, to, date, message_id   the header fields, decoded
  text, html the text/plain and text/html alternatives, decoded, line breaks as \\n
  parts      every other leaf part: content_type, content_id, disposition, filename, data (base64)
Exit status 1 when any message has a problem.
"""

import base64
import email
import email.policy
import json
import sys
from html.parser import HTMLParser

MAXIMUM_LINE = 998
REQUIRED_FIELDS = ("Date", "From", "To", "Message-ID", "Subject", "MIME-Version")


class CidReferences(HTMLParser):
    """The cid: URLs of src and href attributes, read by the standard library's HTML parser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.references = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value and value.lower().startswith("cid:"):
                self.references.append(value[4:])


def raw_problems(raw):
    problems = []
    lines = raw.split(b"\r\n")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAXIMUM_LINE:
            problems.append(f"line {number} has {len(line)} octets; RFC 5322 allows {MAXIMUM_LINE}")
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number} has a bare CR or LF")
    if lines[-1] != b"":
        problems.append("the message does not end with CRLF")
    if any(byte > 0x7F for byte in raw):
        problems.append("the message has bytes outside ASCII")
    return problems


def filename(part):
    """The file name as written: the parameter of the policy's header objects, which, unlike get_filename(), keeps
    leading and trailing white space and angle brackets."""
    for field, name in (("Content-Disposition", "filename"), ("Content-Type", "name")):
        header = part[field]
        if header is not None and name in header.params:
            return header.params[name]
    return None


def tree(part, depth=0):
    content_type = part.get_content_type()
    line = "  " * depth + content_type
    if part.is_multipart():
        return [line] + [entry for child in part.iter_parts() for entry in tree(child, depth + 1)]
    details = []
    disposition = part.get_content_disposition()
    if disposition:
        details.append(disposition)
    if filename(part) is not None:
        details.append(json.dumps(filename(part), ensure_ascii=False))
    if part["Content-ID"]:
        details.append(str(part["Content-ID"]))
    details.append(f"{part['Content-Transfer-Encoding']}, {len(part.get_payload(decode=True))} bytes")
    return [line + " " + " ".join(details)]


def check(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    problems = raw_problems(raw)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for part in message.walk():
        for defect in part.defects:
            problems.append(f"{part.get_content_type()}: defect {type(defect).__name__}: {defect}")
    for name in REQUIRED_FIELDS:
        if message[name] is None:
            problems.append(f"no {name} field")
    date = message["Date"]
    if date is not None and getattr(date, "datetime", None) is None:
        problems.append(f"Date {str(date)!r} does not parse")

    text = html = None
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        if content_type in ("text/plain", "text/html") and part.get_content_disposition() is None:
            content = part.get_content().replace("\r\n", "\n")
            if content_type == "text/plain":
                if text is not None:
                    problems.append("more than one text/plain alternative")
                text = content
            else:
                if html is not None:
                    problems.append("more than one text/html alternative")
                html = content
            continue
        content_id = part["Content-ID"]
        parts.append({
            "content_type": content_type,
            "content_id": str(content_id).strip("<>") if content_id else None,
            "disposition": part.get_content_disposition(),
            "filename": filename(part),
            "data": base64.b64encode(part.get_payload(decode=True)).decode("ascii"),
        })
    if text is None or html is None:
        problems.append("the text/plain and text/html alternatives are not both there")

    references = CidReferences()
    references.feed(html or "")
    known = {part["content_id"] for part in parts if part["content_id"]}
    for reference in references.references:
        if reference not in known:
            problems.append(f"cid:{reference} names no part")
    for part in parts:
        if part["disposition"] == "inline" and part["content_id"] not in references.references:
            problems.append(f"inline part {part['content_id']} is never referenced")

    return {
        "file": path,
        "problems": problems,
        "tree": "\n".join(tree(message)),
        "subject": str(message["Subject"]) if message["Subject"] is not None else None,
        "from": str(message["From"]) if message["From"] is not None else None,
        "to": [address.addr_spec for address in message["To"].addresses] if message["To"] is not None else [],
        "date": date.datetime.isoformat() if date is not None and date.datetime is not None else None,
        "message_id": str(message["Message-ID"]) if message["Message-ID"] is not None else None,
        "text": text,
        "html": html,
        "parts": parts,
    }


def main(arguments):
    if arguments[:1] == ["--tree"]:
        if len(arguments) != 2:
            print("usage: check_email.py --tree FILE", file=sys.stderr)
            return 2
        print(check(arguments[1])["tree"])
        return 0
    output = None
    if arguments[:1] == ["--output"] and len(arguments) >= 2:
        output, arguments = arguments[1], arguments[2:]
    if not arguments:
        print(__doc__, file=sys.stderr)
        return 2
    results = [check(path) for path in arguments]
    text = json.dumps(results, ensure_ascii=False, sort_keys=True) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 1 if any(result["problems"] for result in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
