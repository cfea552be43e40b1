"""Signed download links for exports: a ZIP can be handed to the client (or fetched by a
script) without a credential, for a quarter of an hour."""

import uuid
from typing import Annotated

from fastapi import Depends, Query, Request

from app.auth import signed_links
from app.auth.dependencies import bearer
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep
from app.personal_data.exports import LINK_LIFETIME


def _path(export_id: uuid.UUID) -> str:
    return f"/exports/{export_id}/content"


def sign(key: str, export_id: uuid.UUID) -> str:
    query, _ = signed_links.sign(key, _path(export_id), LINK_LIFETIME)
    return query


class ManageOrSignedLink(signed_links.PermissionOrSignedLink):
    """The permission to manage personal data, or a valid signed link to this export."""

    async def __call__(  # type: ignore[override]
        self,
        request: Request,
        session: SessionDep,
        export_id: uuid.UUID,
        credential: Annotated[str | None, Depends(bearer)],
        signature: Annotated[
            str | None, Query(max_length=64, description="From the export's `download_url`.")
        ] = None,
        expires: Annotated[
            int | None, Query(description="From the export's `download_url`.")
        ] = None,
    ) -> Principal | None:
        path = _path(export_id)
        return await self.check(request, session, credential, path, expires, signature)


export_reader = ManageOrSignedLink(Permission.personal_data_manage)
