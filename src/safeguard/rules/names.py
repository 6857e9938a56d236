"""Keys for finding a name despite a typing slip.

A name is found when the searched name is within one edit (insertion,
deletion, substitution or transposition of neighbours) of a recorded name or
alias, or sounds the same (Soundex, via jellyfish). The one-edit test uses
deletion neighbourhoods (the SymSpell idea): two words are within one edit
exactly when their sets of "the word, and the word with one letter removed"
share a member, which the database can answer with an index lookup.
Candidates are then ranked by Jaro-Winkler similarity.
"""

from __future__ import annotations

import re
import unicodedata

import jellyfish

MAX_EDITS = 1
MIN_SIMILARITY = 0.80
SHORT_NAME = 3  # names this short are matched exactly or by sound only


def fold(name: str) -> str:
    """Lower case, accents and punctuation removed: 'O'Brien-Smyth' -> 'obriensmyth'."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", text.lower())


def deletion_keys(word: str) -> set[str]:
    """The word and every form of it with one letter removed."""
    if len(word) <= SHORT_NAME:
        return {word}
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def name_keys(name: str) -> set[str]:
    """Index keys for one name part: deletion keys and its Soundex code."""
    word = fold(name)
    if not word:
        return set()
    keys = {f"d:{k}" for k in deletion_keys(word)}
    keys.add(f"s:{jellyfish.soundex(word)}")
    return keys


def similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two names after folding (1.0 is identical)."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    return jellyfish.jaro_winkler_similarity(fa, fb)


def within_one_edit(a: str, b: str) -> bool:
    return jellyfish.damerau_levenshtein_distance(fold(a), fold(b)) <= MAX_EDITS


def sounds_alike(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    return bool(fa and fb) and jellyfish.soundex(fa) == jellyfish.soundex(fb)


class Against:
    """``similarity``, ``within_one_edit`` and ``sounds_alike`` of one name against many: a search compares the
    name asked for with every candidate's names, and most candidates share a few names (every "Jones"), so the
    name is folded once and each other name's answers are worked out once. The answers are those of the
    functions above, exactly (tests/rules/test_names.py)."""

    def __init__(self, name: str) -> None:
        self.folded = fold(name)
        self._soundex = jellyfish.soundex(self.folded) if self.folded else ""
        self._similarity: dict[str, float] = {}
        self._plausible: dict[str, bool] = {}

    def similarity(self, other: str) -> float:
        found = self._similarity.get(other)
        if found is None:
            folded = fold(other)
            found = jellyfish.jaro_winkler_similarity(self.folded, folded) if self.folded and folded else 0.0
            self._similarity[other] = found
        return found

    def within_one_edit_or_sounds_alike(self, other: str) -> bool:
        found = self._plausible.get(other)
        if found is None:
            folded = fold(other)
            found = jellyfish.damerau_levenshtein_distance(self.folded, folded) <= MAX_EDITS or bool(
                self.folded and folded and self._soundex == jellyfish.soundex(folded)
            )
            self._plausible[other] = found
        return found
