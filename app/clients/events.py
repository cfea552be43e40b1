"""What writes to clients emit (installed by app.wiring)."""

import uuid
from typing import Any

from app.api import API_PREFIX
from app.clients.models import Client
from app.events.emit import Emitter, Ref, Spec


def _path(client_id: uuid.UUID) -> str:
    return f"{API_PREFIX}/clients/{client_id}"


def _created(client: Any) -> list[Spec]:
    return [Spec("client.created", client, "client", _path(client.id), None)]


def _updated(client: Any, changed: set[str]) -> list[Spec]:
    return [Spec("client.updated", client, "client", _path(client.id), None)]


def erased(client_id: uuid.UUID) -> Spec:
    """``client.erased``: the client's id, nothing else (its data is gone)."""
    return Spec("client.erased", Ref(client_id), "client", _path(client_id), None)


EMITTER = Emitter(Client, on_new=_created, on_change=_updated)
