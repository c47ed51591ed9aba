"""Normalising what clerks type: outlet names in 《》, full-width characters, stray spaces."""

import re
import unicodedata

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
