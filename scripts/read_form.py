#!/usr/bin/env python3
"""Reads HTML form bodies with Python's own parsers, for the delivery tests of the services that take forms.

Reads from standard input a JSON array of requests, each {"content_type": "...", "body": "<base64 of the body>"},
and prints a JSON array with, for each, either
  {"fields": [[name, value], ...], "files": [{"field", "filename", "content_type", "data": "<base64>"}]}
or {"error": "..."} when the body does not parse. application/x-www-form-urlencoded is read by
urllib.parse.parse_qsl (strict: every pair must have a "=", UTF-8 must decode); multipart/form-data by the email
package (policy.HTTP), the way a server reads an upload, with every part checked for a form-data disposition.
"""
import base64
import email
import email.policy
import json
import sys
import urllib.parse


def read_urlencoded(body):
    pairs = urllib.parse.parse_qsl(
        body.decode("ascii"), keep_blank_values=True, strict_parsing=True, encoding="utf-8", errors="strict")
    return {"fields": [list(pair) for pair in pairs], "files": []}


def read_multipart(content_type, body):
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=email.policy.HTTP)
    if not message.is_multipart() or message.defects:
        return {"error": f"not a clean multipart body: {message.defects}"}
    fields, files = [], []
    for part in message.iter_parts():
        if part.get_content_disposition() != "form-data" or part.defects:
            return {"error": f"a part is not form-data: {part.get('Content-Disposition')} {part.defects}"}
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        data = part.get_payload(decode=True)
        if filename is None:
            fields.append([name, data.decode("utf-8")])
        else:
            files.append({"field": name, "filename": filename, "content_type": part.get_content_type(),
                          "data": base64.b64encode(data).decode()})
    return {"fields": fields, "files": files}


def main() -> int:
    results = []
    for request in json.load(sys.stdin):
        body = base64.b64decode(request["body"])
        content_type = request["content_type"]
        try:
            if content_type == "application/x-www-form-urlencoded":
                results.append(read_urlencoded(body))
            elif content_type.startswith("multipart/form-data; boundary="):
                results.append(read_multipart(content_type, body))
            else:
                results.append({"error": f"not a form: {content_type}"})
        except (ValueError, UnicodeDecodeError) as error:
            results.append({"error": str(error)})
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
