"""Country names as people type them (Chinese, English, ISO codes) resolved to ISO alpha-2."""

from functools import cache

from django.utils import translation
from django_countries import countries

# Short names in everyday use that the standard names do not cover.
ALIASES = {
    "中国": "CN",
    "中国大陆": "CN",
    "美国": "US",
    "英国": "GB",
    "俄罗斯": "RU",
    "韩国": "KR",
    "朝鲜": "KP",
    "伊朗": "IR",
    "叙利亚": "SY",
    "越南": "VN",
    "老挝": "LA",
    "香港": "HK",
    "中国香港": "HK",
    "澳门": "MO",
    "中国澳门": "MO",
    "台湾": "TW",
    "中国台湾": "TW",
    "阿联酋": "AE",
    "usa": "US",
    "uk": "GB",
    "russia": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "iran": "IR",
    "syria": "SY",
    "uae": "AE",
    "vietnam": "VN",
}


def _key(value: str) -> str:
    return " ".join(str(value).replace("（", "(").replace("）", ")").split()).casefold()


@cache
def _lookup() -> dict[str, str]:
    table = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for code, name in countries:
                table[_key(name)] = code
    table.update({_key(name): code for name, code in ALIASES.items()})
    return table


def country_code(value) -> str | None:
    """The ISO 3166 alpha-2 code of `value` (a code, alpha-3 code, English or Chinese name).
    Empty gives ''; a value that names no country gives None."""
    text = " ".join(str(value or "").split())
    if not text:
        return ""
    upper = text.upper()
    if len(upper) == 2 and upper in countries:
        return upper
    if len(upper) == 3 and upper.isalpha():
        code = countries.alpha2(upper)
        if code:
            return code
    return _lookup().get(_key(text))
