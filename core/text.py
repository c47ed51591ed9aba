"""Normalising what people type: outlet and unit names, titles, free text.

Three different jobs, three functions, each used everywhere its job comes up:
- `normalize_name`: the look-up key of a unit or outlet name (《安康日报》, full-width, spaces);
- `title_key`: when two titles are "the same" (DOMAIN §10: web form, import, duplicate check, exports);
- `clean_text`: tidying a free-text cell or field that is stored;
- `parse_authors`: the names in an authors field (D8 splits a reward among them);
- `required_reason`: a reason a person must give (a rejection, a reopening, a budget override).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Book-title marks and quotes that clerks wrap outlet names in: 《安康日报》, “安康日报”, <安康日报>.
_WRAPPERS = "《》〈〉<>\"'“”‘’「」『』【】[]"
_SPACES = re.compile(r"\s+")


def normalize_name(value: str) -> str:
    """The key under which a unit or outlet name is looked up.

    NFKC turns full-width letters, digits and the ideographic space into their ordinary forms;
    wrappers and every space are dropped, Latin letters are lower-cased.
    """
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(ch for ch in text if ch not in _WRAPPERS)
    return _SPACES.sub("", text).lower()


def clean_text(value: str) -> str:
    """Tidy a free-text cell: NFKC, single spaces, trimmed."""
    text = unicodedata.normalize("NFKC", value or "")
    return _SPACES.sub(" ", text).strip()


def tidy_spaces(value: str) -> str:
    """Prose as typed (titles, names): only runs of spaces become one and the ends are trimmed. Chinese
    punctuation such as ，：（） stays as the person typed it (DOMAIN §10: the stored title keeps it)."""
    return _SPACES.sub(" ", value or "").strip()


# DOMAIN §10: the Chinese and ASCII forms of the same punctuation are one. NFKC already folds the full-width
# forms (：→: （→( ，→,); these are the ones it leaves apart.
_PUNCTUATION = str.maketrans({
    "、": ",", "，": ",", "；": ";", "：": ":", "。": ".", "．": ".", "？": "?", "！": "!",
    "（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")", "[": "(", "]": ")",
    "“": '"', "”": '"', "„": '"', "‟": '"', "‘": '"', "’": '"', "'": '"', "「": '"', "」": '"', "『": '"',
    "』": '"', "《": '"', "》": '"', "〈": '"', "〉": '"', "<": '"', ">": '"',
    "—": "-", "–": "-", "―": "-", "－": "-", "‐": "-", "‑": "-", "─": "-", "~": "-", "～": "-",
    "・": "·", "•": "·", "‧": "·",
})
_DASHES = re.compile(r"-{2,}")


def title_key(value: str) -> str:
    """When two titles are the same manuscript's (DOMAIN §10): Unicode NFKC, every space removed, the
    Chinese and ASCII forms of the same punctuation treated as one, Latin letters lower-cased.

    "就业：新政（解读）" typed on the web form and "就业:新政(解读)" in an import give one key, so they
    are one manuscript, paid once.
    """
    text = unicodedata.normalize("NFKC", value or "").translate(_PUNCTUATION)
    return _DASHES.sub("-", _SPACES.sub("", text)).lower()


# Separators seen in the 作者 column (DOMAIN.md §10): 、 ， , ; ； and any whitespace, which in
# Python's re includes the full-width space U+3000.
_AUTHOR_SEPARATORS = re.compile(r"[、，,;；\s]+")


def parse_authors(text: str) -> list[str]:
    """The distinct names of an authors field, in order (the first author first, DOMAIN §7 D8)."""
    names: list[str] = []
    for part in _AUTHOR_SEPARATORS.split(text or ""):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return names


def required_reason(value, *, message: str, field: str | None = None) -> str:
    """A reason someone must write before acting (returning a record or a contribution, reopening a closed year,
    confirming over budget): trimmed, and `message` (what to write, in Chinese) when nothing is left of it."""
    reason = (value or "").strip()
    if not reason:
        raise ValidationError({field: message} if field else message, code="reason_required")
    return reason
