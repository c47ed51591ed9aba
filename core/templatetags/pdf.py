"""{% pdf_link url "下载PDF" %}: a link to a PDF document, or, where the server cannot make PDFs, the Chinese
sentence that says so (core/pdf.py) instead of a link that would fail."""

from django import template
from django.utils.html import format_html

from core.pdf import pdf_unavailable_reason

register = template.Library()


@register.simple_tag
def pdf_link(url: str, label: str = "下载PDF", css: str = "button") -> str:
    reason = pdf_unavailable_reason()
    if reason:
        return format_html('<span class="pdf-unavailable" role="note">{}：{}</span>', label, reason)
    return format_html('<a class="{}" href="{}">{}</a>', css, url, label)


@register.simple_tag
def pdf_unavailable() -> str:
    """{% pdf_unavailable as reason %}: the sentence, or "" (for a page that offers a form, not a link)."""
    return pdf_unavailable_reason() or ""
