"""PDF documents (issue 18): the one renderer every PDF view calls.

A PDF is rendered from the same templates as the page a user prints from the browser: WeasyPrint lays the
HTML out with the app's own stylesheet in its print media (`@media print`), plus static/css/pdf.css for what
only a document has (the red header, the seal, page numbers). WeasyPrint needs the system libraries pango and
harfbuzz (Debian: libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0) and CJK fonts (fonts-noto-cjk). Where
they are missing the app still runs: `pdf_unavailable_reason()` says so in Chinese, the PDF links show that
sentence instead of a link ({% pdf_link %}), and a PDF URL answers 503 with it instead of failing.

A document only ever reads the app's own static files (and the seal, passed in as a data: URI): the URL
fetcher refuses everything else, so nothing a user typed can make the server fetch a URL.
"""

import base64
import functools
import logging
import mimetypes
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger(__name__)

PDF_UNAVAILABLE_MESSAGE = ("本服务器未安装生成PDF所需的组件（WeasyPrint 及 pango 等系统库），暂时不能下载PDF。"
                   "请使用浏览器的打印功能，或请管理员安装。")
RESOURCE_REFUSED_MESSAGE = "PDF只能引用本系统的静态文件：{url}"
SEAL_MISSING_MESSAGE = "印章图片 {path} 不存在或无法读取，文件中不加盖印章。"
SEAL_REFUSED_MESSAGE = "印章图片 {path} 不能使用（{reason}），文件中不加盖印章。"

# Relative URLs in a document ({% static %} gives /static/...) are resolved against this base, which never
# resolves on a network (.invalid, RFC 2606): the fetcher below maps its /static/ paths to the files.
BASE_URL = "https://pdf.invalid/"
_STATIC_PREFIX = "/" + settings.STATIC_URL.strip("/") + "/"


@functools.cache
def _weasyprint():
    """The weasyprint module, or None where it or its system libraries are missing (checked once)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: cffi could not load libpango / libharfbuzz
        logger.warning("WeasyPrint unavailable, PDF downloads are off: %s", exc)
        return None
    return weasyprint


def pdf_unavailable_reason() -> str | None:
    """None when PDFs can be made, else the Chinese sentence that says why not."""
    return None if _weasyprint() is not None else PDF_UNAVAILABLE_MESSAGE


def _static_file(path: str) -> Path | None:
    relative = unquote(path[len(_STATIC_PREFIX):])
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


def _fetcher():
    weasyprint = _weasyprint()

    class LocalOnlyFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}/" == BASE_URL and parts.path.startswith(_STATIC_PREFIX):
                path = _static_file(parts.path)
                if path is not None:
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(),
                                                              {"Content-Type": content_type})
            raise ValueError(RESOURCE_REFUSED_MESSAGE.format(url=url))

    return LocalOnlyFetcher()


def pdf_render(*, template: str, context: dict, request=None) -> bytes:
    """The PDF bytes of a template (which extends pdf/base.html)."""
    weasyprint = _weasyprint()
    if weasyprint is None:
        raise RuntimeError(PDF_UNAVAILABLE_MESSAGE)
    html = render_to_string(template, context, request=request)
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()


def pdf_response(request, *, template: str, context: dict, filename: str) -> HttpResponse:
    """The download, or the Chinese explanation (503) where the server cannot make PDFs."""
    reason = pdf_unavailable_reason()
    if reason:
        referer = request.META.get("HTTP_REFERER", "")
        back = referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}) else ""
        return render(request, "pdf/unavailable.html", {"reason": reason, "back": back}, status=503)
    response = HttpResponse(pdf_render(template=template, context=context, request=request),
                            content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def seal_data_uri() -> str:
    """The seal image (DOCUMENT_SEAL_IMAGE: a PNG or JPEG file that decodes as one, core's upload check) as a
    data: URI, or "" for none: a missing or unreadable file leaves the seal out and says why in the log."""
    from django.core.exceptions import ValidationError

    from core.uploads import IMAGES, content_check

    path = settings.DOCUMENT_SEAL_IMAGE
    if not path:
        return ""
    try:
        data = Path(path).read_bytes()
    except OSError:
        logger.warning(SEAL_MISSING_MESSAGE.format(path=path))
        return ""
    try:
        checked = content_check(data, name=str(path), accept=IMAGES)
    except ValidationError as exc:
        logger.warning(SEAL_REFUSED_MESSAGE.format(path=path, reason=exc.messages[0]))
        return ""
    return f"data:{checked.content_type};base64,{base64.b64encode(data).decode('ascii')}"
