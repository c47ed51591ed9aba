"""Checks of uploaded files that every upload path shares."""

import io
import zipfile

# An xlsx, docx or similar is a zip: what it would expand to is read from the zip's directory without
# decompressing anything (a "zip bomb" is refused before any parser sees it).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000


def zip_is_bomb(content: bytes, *, limit: int | None = None) -> bool:
    """True when a zip would expand beyond `limit` or holds too many members (from its directory).

    A zip whose directory cannot be read is not a bomb; the reader reports it as broken.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    limit = MAX_UNCOMPRESSED_BYTES if limit is None else limit
    return len(members) > MAX_ZIP_MEMBERS or sum(member.file_size for member in members) > limit
