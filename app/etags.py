"""ETag / If-Match for optimistic concurrency: a stale write gets 412, never a lost update."""

from typing import Annotated

from fastapi import Header, Response

from app.errors import PreconditionFailed

IfMatch = Annotated[str | None, Header(description="The ETag you read; a stale one answers 412.")]


def etag_for(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


def check_if_match(if_match: str | None, version: int) -> None:
    """Pass when the header is absent or names the current version (or ``*``)."""
    if if_match is None:
        return
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" in candidates or etag_for(version) in candidates:
        return
    raise PreconditionFailed(
        f"The resource is now at version {etag_for(version)}; "
        "reload it and apply your change again."
    )
