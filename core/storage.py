"""Where proof files and signed scans live: outside every public URL, in settings.PRIVATE_MEDIA_ROOT."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage

NO_URL_MESSAGE = "私有文件没有公开地址，只能通过权限检查后的下载页面获取。"


class PrivateStorage(FileSystemStorage):
    """A file-system storage without URLs whose folder follows settings.PRIVATE_MEDIA_ROOT at each use.

    FileFields resolve their storage once, at import; reading the folder lazily lets an operator (or a
    test) move it through the setting alone.
    """

    def __init__(self, **kwargs):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(NO_URL_MESSAGE)



# A private file is shown by the browser as a document of its own, never as a page of the app: the sandbox
# gives it a unique origin without scripts, forms or plug-ins (a PDF or image crafted to carry HTML cannot run
# with the user's session), and nothing but its own images loads (issue 19: proofs, report attachments and
# contribution scans alike).
PRIVATE_FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'"
MISSING_FILE_MESSAGE = "文件不存在（可能已被删除），请联系管理员。"


def private_file_response(field_file, *, name: str, content_type: str, inline: bool):
    """The one way a private file (proof, report attachment, contribution scan) is sent, after the caller
    has checked that the user may see it: the sandbox policy, no sniffing, never stored by a browser or proxy."""
    import mimetypes

    from django.http import FileResponse, Http404

    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(MISSING_FILE_MESSAGE) from exc
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PRIVATE_FILE_POLICY
    response["Cache-Control"] = "private, no-store"
    return response
