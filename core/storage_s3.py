"""Proof files and scans in a private bucket of an S3-compatible store (S3_BUCKET), shared by every node.

A module of its own so that the embedded default (the local folder) never imports boto3.
"""

from storages.backends.s3 import S3Storage

from core.storage import NO_URL_MESSAGE


class PrivateS3Storage(S3Storage):
    """Objects are written with the `private` ACL and never get a URL, signed or not: like the local folder,
    the bucket is read only by the app, which streams a file through the view that checks the user's unit.
    A name is never overwritten (a second file of the same name gets a new one)."""

    default_acl = "private"
    querystring_auth = False
    file_overwrite = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_URL_MESSAGE)
