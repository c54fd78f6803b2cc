"""Herald's Python client: publish notifications to ``herald serve``, preview renderings, manage routes.

>>> from herald_client import Herald, NotificationMessage
>>> herald = Herald("http://127.0.0.1:8470", token)
>>> msg = NotificationMessage()
>>> msg.add_text("Sample mount failed", bold=True, color="red")
>>> msg.add_text(" Please check the robot status before retrying.")
>>> msg.add_tags(["sample-exchange", "robot"])
>>> herald.notify("sample_mount_failed", msg)
"""

from ._client import (
    MAX_RESPONSE_BYTES,
    RETRIED_STATUSES,
    Herald,
    HeraldConnectionError,
    HeraldError,
    Receipt,
    Rendering,
    Route,
)
from ._documents import Message
from ._message import COLORS, MAX_ATTACHMENT_BYTES, MAX_DIMENSION, MessageError, NotificationMessage

__all__ = [
    "COLORS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_DIMENSION",
    "MAX_RESPONSE_BYTES",
    "RETRIED_STATUSES",
    "Herald",
    "HeraldConnectionError",
    "HeraldError",
    "Message",
    "MessageError",
    "NotificationMessage",
    "Receipt",
    "Rendering",
    "Route",
]
