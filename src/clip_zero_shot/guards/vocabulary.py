"""Loading the reviewed word lists and matching them on whole words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

IRREGULAR = {"men": "man", "women": "woman", "children": "child", "people": "person", "feet": "foot", "teeth": "tooth"}
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# category file -> the name a refusal uses for it
CATEGORIES: dict[str, tuple[str, str]] = {
    "diagnosis": ("medical", "a medical diagnosis"),
    "legal": ("legal", "a legal judgement about a person"),
    "safety": ("safety-critical", "a safety-critical decision"),
    "identity": ("identity", "the identity of a person"),
    "race_ethnicity": ("protected attribute", "race or ethnicity"),
    "skin_colour": ("protected attribute", "skin colour"),
    "religion": ("protected attribute", "religion"),
    "gender_sex": ("protected attribute", "gender or sex"),
    "sexual_orientation": ("protected attribute", "sexual orientation"),
    "age_group": ("protected attribute", "age group"),
    "disability": ("protected attribute", "disability"),
    "pregnancy": ("protected attribute", "pregnancy"),
    "nationality": ("protected attribute", "nationality"),
}


def singular(word: str) -> str:
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> tuple[str, ...]:
    """Lower-case whole words with plurals folded; hyphenated words also split, so 'dark-skinned' meets both."""
    out: list[str] = []
    for w in WORD.findall(text.lower().replace("'", " ")):
        out.append(singular(w))
        if "-" in w:
            out.extend(singular(p) for p in w.split("-"))
    return tuple(out)


MAX_PHRASE = 5


@lru_cache(maxsize=65536)
def ngrams(text_words: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """Every run of up to MAX_PHRASE words: a phrase matches by set membership, not by scanning."""
    return frozenset(text_words[i : i + n] for n in range(1, MAX_PHRASE + 1) for i in range(len(text_words) - n + 1))


def contains(text_words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    return phrase in ngrams(text_words)


def contains_any(text_words: tuple[str, ...], phrases: frozenset[tuple[str, ...]]) -> tuple[str, ...] | None:
    hits = ngrams(text_words) & phrases
    return min(hits) if hits else None


@dataclass(frozen=True)
class CategoryTerms:
    name: str
    standalone: frozenset[tuple[str, ...]]
    with_person: frozenset[tuple[str, ...]]
    person_nouns: frozenset[tuple[str, ...]]


def _lines(filename: str) -> list[str]:
    text = resources.files("clip_zero_shot.guards.vocabularies").joinpath(filename).read_text("utf-8")
    return [ln.split("#", 1)[0].strip() for ln in text.splitlines() if ln.split("#", 1)[0].strip()]


@cache
def category(name: str) -> CategoryTerms:
    standalone, with_person, person_nouns = [], [], []
    for line in _lines(f"{name}.txt"):
        if line.startswith("~"):
            with_person.append(words(line[1:]))
        elif line.startswith("@"):
            person_nouns.append(words(line[1:]))
        else:
            standalone.append(words(line))
    for phrase in (*standalone, *with_person, *person_nouns):
        if len(phrase) > MAX_PHRASE:
            raise ValueError(f"{name}.txt: phrase {' '.join(phrase)!r} is longer than {MAX_PHRASE} words")
    return CategoryTerms(name, frozenset(standalone), frozenset(with_person), frozenset(person_nouns))


@cache
def word_set(name: str) -> frozenset[tuple[str, ...]]:
    return frozenset(words(line) for line in _lines(f"{name}.txt"))
