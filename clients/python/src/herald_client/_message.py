"""The ``NotificationMessage`` builder: BEC's calls plus Herald's, producing ``herald.message/v1`` JSON."""

from __future__ import annotations

import base64
import copy
import mimetypes
import os
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

#: The colors a text run may have (BEC's six).
COLORS = ("red", "green", "black", "yellow", "pink", "blue")
#: The largest attachment, in bytes (the server's default limit).
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
#: The largest attachment width or height.
MAX_DIMENSION = 100_000

# The checks below repeat the patterns of schema/herald.message.v1.schema.json, so that a mistake is reported
# where the builder is called rather than by the server after the request.
_LINK = re.compile(
    r"^(?:[Hh][Tt][Tt][Pp][Ss]?://[^/\s\"<>`\\{}|^]|[Mm][Aa][Ii][Ll][Tt][Oo]:[^\s\"<>`\\{}|^]*@)[^\s\"<>`\\{}|^]*$"
)
_LINE_BREAKS = re.compile("[\n\r\u2028\u2029]")
_CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f\u2028\u2029]")
_FILENAME = re.compile(r"^[^/\\\u0000-\u001f\u007f-\u009f]+$")
_MIME_TYPE = re.compile(r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$")
_LANGUAGE = re.compile(r"^[A-Za-z0-9+._#-]{1,32}$")


class MessageError(ValueError):
    """A value the message format refuses; ``path`` says where (``parts[2].color``)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        #: Where in the message, as a JSON path.
        self.path = path
        #: What is wrong.
        self.reason = reason


def _check_type(value: object, expected: type, path: str) -> None:
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise TypeError(f"{path}: expected {expected.__name__}, found {type(value).__name__}")


def _set_matching(part: Dict[str, Any], key: str, value: Optional[str], pattern: "re.Pattern[str]", reason: str, path: str) -> None:
    """Sets ``part[key]`` to ``value`` unless it is ``None``; a value ``pattern`` does not match is refused."""
    if value is None:
        return
    _check_type(value, str, f"{path}.{key}")
    if not pattern.match(value):
        raise MessageError(f"{path}.{key}", reason)
    part[key] = value


def _single_line(value: str, path: str) -> str:
    _check_type(value, str, path)
    if not value:
        raise MessageError(path, "must not be empty")
    if _LINE_BREAKS.search(value):
        raise MessageError(path, "must be one line")
    return value


class NotificationMessage:
    """A notification built part by part, as BEC's ``NotificationMessageObject`` is.

    Text runs are inline: ``add_text("Sample mount failed", bold=True, color="red")`` followed by
    ``add_text(" Please check the robot.")`` is one paragraph; ``"\\n"`` is a line break and ``"\\n\\n"`` starts a
    new paragraph. Every ``add_…`` returns the message, so calls chain. Cheap checks (colors, links, sizes, names)
    raise ``MessageError`` (a ``ValueError``) naming the part; wrong types raise ``TypeError``.
    """

    def __init__(self, title: Optional[str] = None) -> None:
        self._title: Optional[str] = None
        self._parts: List[Dict[str, Any]] = []
        if title is not None:
            self.set_title(title)

    @property
    def _path(self) -> str:
        return f"parts[{len(self._parts)}]"

    def set_title(self, title: str) -> NotificationMessage:
        """Sets the headline: one line, shown as a heading where the service has one."""
        self._title = _single_line(title, "title")
        return self

    def add_text(
        self,
        text: str,
        bold: bool = False,
        italic: bool = False,
        color: Optional[str] = None,
        *,
        strikethrough: bool = False,
        monospace: bool = False,
        link: Optional[str] = None,
    ) -> NotificationMessage:
        """Adds a run of text; ``color`` is one of red, green, black, yellow, pink, blue; ``link`` an http, https
        or mailto URL."""
        path = self._path
        _check_type(text, str, f"{path}.text")
        part: Dict[str, Any] = {"type": "text", "text": text}
        for name, flag in (("bold", bold), ("italic", italic), ("strikethrough", strikethrough), ("monospace", monospace)):
            _check_type(flag, bool, f"{path}.{name}")
            if flag:
                part[name] = True
        if color is not None:
            _check_type(color, str, f"{path}.color")
            if color not in COLORS:
                raise MessageError(f"{path}.color", f'unknown color "{color}"; expected one of {", ".join(COLORS)}')
            part["color"] = color
        _set_matching(part, "link", link, _LINK, "expected an absolute http, https or mailto URL without spaces or quotes", path)
        self._parts.append(part)
        return self

    def add_link(self, text: str, url: str) -> NotificationMessage:
        """Adds ``text`` linking to ``url`` (http, https or mailto)."""
        return self.add_text(text, link=url)

    def add_tags(self, tags: Union[str, Iterable[str]]) -> NotificationMessage:
        """Adds a tag or tags for the whole message (order kept, duplicates removed by the server)."""
        path = f"{self._path}.tags"
        listed = [tags] if isinstance(tags, str) else list(tags)
        for index, tag in enumerate(listed):
            _check_type(tag, str, f"{path}[{index}]")
            if not tag:
                raise MessageError(f"{path}[{index}]", "a tag must not be empty")
            if _CONTROL.search(tag):
                raise MessageError(f"{path}[{index}]", "a tag must not hold control characters or line breaks")
        self._parts.append({"type": "tags", "tags": listed})
        return self

    def add_attachment(
        self,
        path_or_bytes: Union[str, "os.PathLike[str]", bytes],
        name: Optional[str] = None,
        content_type: Optional[str] = None,
        *,
        width: Optional[int] = None,
        height: Optional[int] = None,
    ) -> NotificationMessage:
        """Adds a file, read now and sent inline (the server never reads a client's paths): a path (``name``
        defaults to its base name, ``content_type`` to the type its extension implies) or bytes (``name``
        required). 1 byte to 5 MiB; ``width`` and ``height`` are display hints in pixels."""
        path = self._path
        if isinstance(path_or_bytes, bytes):
            if name is None:
                raise MessageError(f"{path}.filename", "name the file: add_attachment(data, name=...) for bytes")
            data = path_or_bytes
        elif isinstance(path_or_bytes, (str, os.PathLike)):
            file = os.fspath(path_or_bytes)
            try:
                size = os.stat(file).st_size
            except OSError as error:
                raise MessageError(f"{path}.path", f"cannot read {file!r}: {error.strerror}") from None
            if size > MAX_ATTACHMENT_BYTES:
                raise MessageError(f"{path}.path", f"{file!r} has {size} bytes; the limit is {MAX_ATTACHMENT_BYTES}")
            try:
                with open(file, "rb") as handle:
                    data = handle.read(MAX_ATTACHMENT_BYTES + 1)
            except OSError as error:
                raise MessageError(f"{path}.path", f"cannot read {file!r}: {error.strerror}") from None
            name = os.path.basename(file) if name is None else name
        else:
            raise TypeError(f"{path}: expected a path or bytes, found {type(path_or_bytes).__name__}")
        _check_type(name, str, f"{path}.filename")
        if not 1 <= len(name) <= 255 or not _FILENAME.match(name):
            raise MessageError(f"{path}.filename", "1 to 255 characters without slashes, backslashes or control characters")
        if not 1 <= len(data) <= MAX_ATTACHMENT_BYTES:
            raise MessageError(f"{path}.data", f"{name!r} has {len(data)} bytes; expected 1 to {MAX_ATTACHMENT_BYTES}")
        if content_type is None:
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        _check_type(content_type, str, f"{path}.mime_type")
        if not _MIME_TYPE.match(content_type):
            raise MessageError(f"{path}.mime_type", f'"{content_type}" is not a MIME type such as image/png')
        part: Dict[str, Any] = {
            "type": "attachment",
            "filename": name,
            "mime_type": content_type,
            "data": base64.b64encode(data).decode("ascii"),
        }
        for key, value in (("width", width), ("height", height)):
            if value is not None:
                _check_type(value, int, f"{path}.{key}")
                if not 1 <= value <= MAX_DIMENSION:
                    raise MessageError(f"{path}.{key}", f"expected 1 to {MAX_DIMENSION}, found {value}")
                part[key] = value
        self._parts.append(part)
        return self

    def add_table(
        self, columns: Sequence[str], rows: Iterable[Sequence[str]] = (), *, title: Optional[str] = None
    ) -> NotificationMessage:
        """Adds a table of plain-text cells: a header row of ``columns`` and one cell per column in each row."""
        path = self._path
        header = list(columns)
        if not header:
            raise MessageError(f"{path}.columns", "a table needs at least one column")
        for index, column in enumerate(header):
            _check_type(column, str, f"{path}.columns[{index}]")
        body: List[List[str]] = []
        for row_index, row in enumerate(rows):
            cells = list(row)
            if len(cells) != len(header):
                raise MessageError(f"{path}.rows[{row_index}]", f"has {len(cells)} cells; the table has {len(header)} columns")
            for cell_index, cell in enumerate(cells):
                _check_type(cell, str, f"{path}.rows[{row_index}][{cell_index}]")
            body.append(cells)
        part: Dict[str, Any] = {"type": "table", "columns": header, "rows": body}
        if title is not None:
            part["title"] = _single_line(title, f"{path}.title")
        self._parts.append(part)
        return self

    def add_code(self, code: str, language: Optional[str] = None) -> NotificationMessage:
        """Adds a code block shown verbatim; ``language`` (``python``) is a hint for highlighting."""
        path = self._path
        _check_type(code, str, f"{path}.source")
        if not code:
            raise MessageError(f"{path}.source", "code must not be empty")
        part: Dict[str, Any] = {"type": "code", "source": code}
        _set_matching(part, "language", language, _LANGUAGE, "1 to 32 letters, digits or + . _ # -", path)
        self._parts.append(part)
        return self

    def to_json(self) -> Dict[str, Any]:
        """The message as a ``herald.message/v1`` JSON object (a fresh copy)."""
        document: Dict[str, Any] = {"format": "herald.message/v1"}
        if self._title is not None:
            document["title"] = self._title
        document["parts"] = copy.deepcopy(self._parts)
        return document

    def __repr__(self) -> str:
        return f"NotificationMessage(title={self._title!r}, parts={len(self._parts)})"
