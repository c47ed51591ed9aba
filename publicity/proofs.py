"""Proof files (发表凭证): which uploads are accepted, decided by content, never by the file name.

Officers attach a scan, a screenshot, a PDF of the page or an office document. The check itself is core's one
upload checker (core.uploads: the file must open as what its first bytes claim); this module says what a proof
may be and how large.
"""

from django.conf import settings

from core.uploads import DOCUMENTS, EXECUTABLE_MESSAGE, INLINE_TYPES, upload_check
from core.uploads import CheckedFile as CheckedProof

__all__ = ["EXECUTABLE_MESSAGE", "IMAGE_TYPES", "INLINE_TYPES", "CheckedProof", "proof_check"]

IMAGE_TYPES = ("image/jpeg", "image/png")


def proof_check(upload) -> CheckedProof:
    """Validate one uploaded proof (an image, a PDF or an office document that opens as one); raise
    ValidationError with a Chinese message naming the file, or describe it."""
    return upload_check(upload, accept=DOCUMENTS, max_bytes=settings.PROOF_MAX_BYTES)
