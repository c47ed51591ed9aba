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

