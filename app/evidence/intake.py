"""An upload made ready to be recorded, before the write begins: its bytes identified, checked
to the end and published. That is I/O (the whole file is read; sealing encrypts it; on S3 it
is sent), so it runs with no transaction open; ``service.record_evidence`` then writes the
record while the write lock is held for the database work alone.

A blob published for an upload that is then not recorded (a replayed Idempotency-Key, a link
to another case's attempt, a failed transaction) is harmless: it is content-addressed, and
``creneau storage gc`` removes it once its grace period is over.
"""

from dataclasses import dataclass

from app.blobstore.storage import BlobStore
from app.errors import AppError
from app.evidence import content, wholefile
from app.evidence.errors import ImageRejected, UnsupportedContent
from app.evidence.upload import ReceivedUpload


@dataclass(frozen=True)
class Prepared:
    """What the record needs of a staged file, or why the file is refused.

    A refusal is kept, not raised: what the database answers (the Idempotency-Key's replay,
    the attempt or contact the form names) is answered first, as when the whole upload ran in
    one transaction, so a request wrong in two ways gets the same answer as before. Nothing is
    published for a refused file."""

    filename: str
    size: int
    sha256: str
    media_type: str = ""
    image: content.ImageFacts | None = None
    refusal: AppError | None = None


def clean_filename(name: str) -> str:
    # Kept as metadata only: the base name (no « ../ », no drive letter or folders from the
    # client's machine), and no control character to trouble a header or a log.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if len(base) > 1 and base[1] == ":":
        base = base[2:]
    return "".join(c for c in base if c.isprintable()).strip()[:255]


def _identify(upload: ReceivedUpload) -> tuple[str, content.ImageFacts | None]:
    assert upload.staging is not None
    media_type = content.identify(upload.staging.head)
    if media_type is None:
        allowed = ", ".join(content.ALLOWED)
        raise UnsupportedContent(f"The file's content is none of: {allowed}.")
    if not content.compatible(upload.declared_type, media_type):
        raise UnsupportedContent(
            f"The file was declared as {upload.declared_type} but its content is {media_type}."
        )
    upload.staging.close()
    image = None
    if media_type in content.IMAGES:
        try:
            image = content.image_facts(upload.staging.path)
        except content.ImageTooLarge as exc:
            raise ImageRejected(
                "The image has too many pixels to be a screenshot or a photo."
            ) from exc
        except content.UnreadableImage as exc:
            raise ImageRejected("The image is damaged or truncated.") from exc
    try:
        wholefile.check(
            upload.staging.path, media_type, (image.width, image.height) if image else None
        )
    except wholefile.NotWhatItClaims as exc:
        raise UnsupportedContent(f"The file is refused: {exc}.") from exc
    return media_type, image


def prepare(upload: ReceivedUpload, *, store: BlobStore) -> Prepared:
    """Identify and check the staged file to its end, then publish its bytes."""
    staging = upload.staging
    assert staging is not None
    filename, size = clean_filename(upload.filename), staging.size
    try:
        media_type, image = _identify(upload)
    except AppError as refusal:
        return Prepared(filename, size, staging.sha256, refusal=refusal)
    return Prepared(filename, size, store.publish(staging), media_type, image)
