"""The languages kg speaks: English and Chinese (simplified), one concept for the CLI, the pages, the API and MCP.

Each language has one tag, as the sources write it (:data:`ENGLISH`, :data:`CHINESE`), and is accepted under any of
its usual spellings, in any case, with ``-`` or ``_``: ``zh``, ``zh-CN``, ``zh_CN``, ``zh-Hans``, ``zh-SG`` mean
Chinese; ``en``, ``en-US``, ``en_GB`` mean English. Pages name a language by its short code (``en``, ``zh``).
A label is chosen in the language asked for, else in English, else in no language at all.

>>> [tag(s) for s in ("zh", "ZH-cn", "zh_CN", "zh-hans", "en-US", "EN")]
['zh-Hans', 'zh-Hans', 'zh-Hans', 'zh-Hans', 'en', 'en']
>>> short("zh-Hans"), short("en"), is_chinese("zh_CN")
('zh', 'en', True)
>>> choose([("Kuaishou", "en"), ("快手", "zh-Hans")], "zh")
'快手'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .errors import KGError

#: English, as the sources tag it.
ENGLISH = "en"
#: Chinese in simplified characters, as the sources tag it.
CHINESE = "zh-Hans"
#: The languages kg shows labels and writes pages in, English first.
LANGUAGES = (ENGLISH, CHINESE)
#: The short codes pages use (``?lang=zh``), by tag.
SHORT = {ENGLISH: "en", CHINESE: "zh"}
#: Every spelling the command line lists in its help (any case and ``_`` for ``-`` are accepted too).
SPELLINGS = ("en", "en-US", "en-GB", "zh", "zh-Hans", "zh-CN", "zh-SG")
#: Chinese tags that mean traditional characters: not the Chinese kg writes.
_TRADITIONAL = ("hant", "tw", "hk", "mo")


def tag(spelling: str) -> str | None:
    """The tag of the language ``spelling`` names (``zh-Hans`` or ``en``), None when it is neither.

    >>> tag("zh-Hant"), tag("fr"), tag(""), tag(" zh ")
    (None, None, None, 'zh-Hans')
    """
    parts = spelling.strip().lower().replace("_", "-").split("-")
    if parts[0] == "en":
        return ENGLISH
    if parts[0] in ("zh", "cmn") and not any(p in _TRADITIONAL for p in parts[1:]):
        return CHINESE
    return None


def parse(spelling: str) -> str:
    """The tag of the language ``spelling`` names.

    Raises:
        KGError: kg does not write that language.

    >>> parse("zh_cn")
    'zh-Hans'
    >>> parse("fr")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: unknown label language 'fr'; use en or zh-Hans (also zh, zh-CN, zh_CN, en-US, in any case)
    """
    found = tag(spelling)
    if found is None:
        raise KGError(f"unknown label language {spelling!r}; use {hint()}")
    return found


def hint() -> str:
    """The spellings a message about a bad language names."""
    return "en or zh-Hans (also zh, zh-CN, zh_CN, en-US, in any case)"


def is_chinese(spelling: str) -> bool:
    """Whether ``spelling`` names Chinese (any of its spellings).

    >>> is_chinese("zh"), is_chinese("ZH-HANS"), is_chinese("en"), is_chinese("")
    (True, True, False, False)
    """
    return tag(spelling) == CHINESE


def short(spelling: str) -> str:
    """The short code pages use for ``spelling``'s language: ``zh`` or ``en`` (English for any other)."""
    return SHORT[tag(spelling) or ENGLISH]


def pick(values: Iterable[tuple[str, str]], lang: str) -> str:
    """The value, of (value, tag) pairs, in ``lang`` (any spelling of it; the first, sorted), else one in no
    language; "" when there is none.

    >>> pick([("Kuaishou", "en"), ("快手", "zh-Hans")], "zh-Hans")
    '快手'
    >>> pick([("x", ""), ("快手", "zh")], "zh_CN"), pick([("Kuaishou", "en")], "zh")
    ('快手', '')
    """
    ranked = sorted(values)
    same = _same(lang)
    found = next((value for value, written in ranked if written and same(written)), None)
    if found is None:
        found = next((value for value, written in ranked if not written), None)
    return found or ""


def choose(values: Iterable[tuple[str, str]], lang: str) -> str:
    """The value to show a reader of ``lang``: one in that language, else in no language, else in English.

    >>> choose([("Kuaishou", "en")], "zh-Hans"), choose([("Kuaishou", "en"), ("快手", "zh-Hans")], "zh")
    ('Kuaishou', '快手')
    """
    listed = list(values)
    return pick(listed, lang) or pick(listed, ENGLISH)


def _same(lang: str) -> Callable[[str], bool]:
    """A test of a written tag: does it name the language ``lang`` names (the same primary language, for others)?"""
    wanted = tag(lang)
    if wanted is not None:
        return lambda written: tag(written) == wanted
    primary = lang.lower().replace("_", "-").split("-")[0]
    return lambda written: written.lower().split("-")[0] == primary
