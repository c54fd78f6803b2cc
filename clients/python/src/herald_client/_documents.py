"""How each kind of message the client takes becomes the JSON the server reads."""

from __future__ import annotations

import base64
from typing import Any, Dict, List, Mapping, Union

from ._message import NotificationMessage

#: What ``Herald.notify`` and ``Herald.render`` take: a builder, plain text, a ``herald.message/v1`` (or BEC
#: JSON) dict, or a BEC ``NotificationMessageObject`` (any object carrying BEC's ``_content`` parts).
Message = Union[NotificationMessage, str, Mapping[str, Any], object]


def _bec_part(part: object, index: int) -> Dict[str, Any]:
    """One of BEC's content models (pydantic) as the dict BEC's own JSON would hold, bytes as base64."""
    dump = getattr(part, "model_dump", None)
    if callable(dump):
        fields = dump()
    elif isinstance(part, Mapping):
        fields = part
    else:
        raise TypeError(f"message._content[{index}]: expected one of BEC's content parts, found {type(part).__name__}")
    if not isinstance(fields, Mapping):
        raise TypeError(f"message._content[{index}]: model_dump() returned {type(fields).__name__}, not a dict")
    return {
        str(key): base64.b64encode(value).decode("ascii") if isinstance(value, (bytes, bytearray)) else value
        for key, value in fields.items()
    }


def bec_document(message: object) -> Dict[str, Any]:
    """A BEC ``NotificationMessageObject`` as the BEC notification JSON the server's importer reads:
    ``{"metadata": {}, "message": [parts]}``, each part as BEC's pydantic model dumps it (``content``; ``filename``,
    ``mime_type``, ``data`` in base64, ``width``, ``height``; ``tags``; ``sticker_id``)."""
    content = getattr(message, "_content")
    if not isinstance(content, (list, tuple)):
        raise TypeError(f"message._content: expected a list of BEC content parts, found {type(content).__name__}")
    parts: List[Dict[str, Any]] = [_bec_part(part, index) for index, part in enumerate(content)]
    return {"metadata": {}, "message": parts}


def document(message: Message, *, allow_text: bool) -> Union[str, Dict[str, Any]]:
    """The JSON value of ``message``: a builder's ``herald.message/v1`` object, a dict as it is, a BEC object
    converted, and plain text as it is when ``allow_text`` (notifications) or as one run otherwise (renderings)."""
    if isinstance(message, NotificationMessage):
        return message.to_json()
    if isinstance(message, str):
        return message if allow_text else {"parts": [{"type": "text", "text": message}]}
    if isinstance(message, Mapping):
        return dict(message)
    if hasattr(message, "_content"):
        return bec_document(message)
    raise TypeError(
        "message: expected a NotificationMessage, a str, a dict in herald.message/v1 or a BEC NotificationMessageObject, "
        f"found {type(message).__name__}"
    )
