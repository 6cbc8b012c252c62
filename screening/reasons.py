"""Readable, translated sentences for the engine's reason codes (docs/screening-engine.md)."""

from django.utils.translation import gettext_lazy as _

TEMPLATES = {
    "word_exact": _("“%(query)s” = “%(listed)s” (same words)"),
    "word_pinyin": _("“%(query)s” = “%(listed)s” (pinyin reading of the Chinese characters)"),
    "word_homophone": _("“%(query)s” ≈ “%(listed)s” (same pinyin, different characters)"),
    "word_typo": _("“%(query)s” ≈ “%(listed)s” (%(edits)s letter(s) differ)"),
    "word_spacing": _("“%(query)s” = “%(listed)s” (only the spacing differs)"),
    "word_initial": _("“%(query)s” = “%(listed)s” (initial)"),
    "word_cantonese": _("“%(query)s” ≈ “%(listed)s” (Cantonese reading, as Hong Kong writes it)"),
    "word_transliteration": _(
        "“%(query)s” ≈ “%(listed)s” (the same Russian word in another transliteration)"
    ),
    "query_word_unmatched": _("“%(word)s” from the name screened is not in the listed name"),
    "listed_word_unmatched": _("“%(word)s” from the listed name is not in the name screened"),
    "generic_words_only": _(
        "only generic words or place names matched, so the score is reduced (× %(factor)s)"
    ),
    "whole_name_spacing": _("“%(query)s” = “%(listed)s” apart from spacing"),
    "whole_name_typo": _(
        "“%(query)s” ≈ “%(listed)s” (%(edits)s letter(s) differ in the whole name)"
    ),
    "weak_alias_exact": _(
        "exact match on the weak alias “%(listed)s” (weak aliases only match exactly)"
    ),
    "legal_form_same": _("legal form agrees: %(query)s / %(listed)s"),
    "legal_form_differs": _("legal form differs: %(query)s / %(listed)s (no effect on the score)"),
    "country_match": _("country matches: %(country)s"),
    "country_related": _("related territories %(query)s / %(listed)s (no effect on the score)"),
    "country_conflict": _("country differs: screened %(query)s, listed %(listed)s"),
    "type_conflict": _("party type differs: screened %(query)s, listed %(listed)s"),
    "address_similar": _("the address resembles a listed address (%(similarity)s%% similar)"),
}

NAME_CODES = {
    "word_exact",
    "word_pinyin",
    "word_homophone",
    "word_typo",
    "word_spacing",
    "word_initial",
    "word_cantonese",
    "word_transliteration",
    "whole_name_spacing",
    "whole_name_typo",
    "weak_alias_exact",
}


def reason_text(reason: dict) -> str:
    """One reason as a sentence in the active language; unknown codes fall back to the code."""
    template = TEMPLATES.get(reason.get("code", ""))
    params = reason.get("params") or {}
    if template is None:
        return f"{reason.get('code')}: {params}"
    try:
        text = str(template) % params
    except (KeyError, TypeError, ValueError):
        return f"{reason.get('code')}: {params}"
    effect = reason.get("effect") or 0
    return f"{text} ({effect:+.2f})" if effect else text


def reason_kind(reason: dict) -> str:
    """For the page: 'match' (green), 'miss' (grey) or 'qualifier' (blue/red)."""
    code = reason.get("code", "")
    if code in NAME_CODES:
        return "match"
    if code.endswith("unmatched") or code == "generic_words_only":
        return "miss"
    if (reason.get("effect") or 0) < 0:
        return "conflict"
    return "qualifier"
