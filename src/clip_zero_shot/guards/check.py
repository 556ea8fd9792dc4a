"""The refusal rules. Each returns the triggers it found; `check_request` raises one clear refusal."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import RefusalError
from .vocabulary import CATEGORIES, category, contains, contains_any, ngrams, word_set, words

PEOPLE_SHARE = 0.25  # a set "describes people" when at least this share of its classes names a person
SUPERVISED_HINT = (
    "Zero-shot similarity has no audit trail, no calibration and no accountability for this kind of decision. "
    "Use a supervised model trained and validated for this purpose, with documented data, evaluation by subgroup "
    "and an audit trail, and keep a qualified person responsible for the outcome."
)


@dataclass(frozen=True)
class Trigger:
    category: str  # "medical", "legal", "safety-critical", "identity", "protected attribute", "people"
    detail: str  # e.g. "a medical diagnosis", "gender or sex"
    class_name: str
    term: str
    via_template: str | None = None  # the template that made the match, when the class alone did not


def _person_in(text_words: tuple[str, ...]) -> bool:
    return contains_any(text_words, word_set("people")) is not None


def _is_personal_name(name: str) -> bool:
    w = words(name)
    if w in word_set("named_people"):
        return True
    given, surnames = word_set("given_names"), word_set("surnames")
    return 2 <= len(w) <= 3 and (w[0],) in given and (w[-1],) in surnames


PERSON_WINDOW = 2  # "black person", "asian young man": the person noun follows the attribute closely


def _applied_to_person(text_words: tuple[str, ...], terms: frozenset[tuple[str, ...]]) -> tuple[str, ...] | None:
    """A `~term` counts only when a person noun follows it within PERSON_WINDOW words ("a black and white photo
    of the baby bib" is a photo style, not a person's race)."""
    grams = ngrams(text_words)
    people = word_set("people")
    present = grams & terms
    if not present or not grams & people:
        return None
    for term in sorted(present):
        n = len(term)
        for i in range(len(text_words) - n + 1):
            if text_words[i : i + n] != term:
                continue
            after = text_words[i + n : i + n + PERSON_WINDOW + 1]
            if any(after[j : j + len(p)] == p for p in people for j in range(len(after))):
                return term
    return None


@lru_cache(maxsize=1)
def _vocabulary_words() -> frozenset[str]:
    every = set()
    for file in CATEGORIES:
        terms = category(file)
        for phrase in (*terms.standalone, *terms.with_person):
            every.update(phrase)
    return frozenset(every)


def _term_triggers(classes: tuple[str, ...], templates: tuple[str, ...]) -> list[Trigger]:
    vocab = _vocabulary_words()
    template_words = [frozenset(words(t.replace("{}", " "))) for t in templates]
    found: list[Trigger] = []
    for cls in classes:
        class_words = words(cls)
        texts = [(class_words, None)] + [
            (words(t.replace("{}", cls)), t)
            for t, tw in zip(templates, template_words, strict=True)
            # A filled prompt can only match if one of its words is in some vocabulary: skip the rest cheaply.
            if (tw | set(class_words)) & vocab
        ]
        for file, (cat, detail) in CATEGORIES.items():
            terms = category(file)
            hit = None
            for text_words, template in texts:
                term = contains_any(text_words, terms.standalone)
                if term is None and terms.with_person:
                    term = _applied_to_person(text_words, terms.with_person)
                if term is not None:
                    hit = (" ".join(term), template)
                    break
            if hit:
                found.append(Trigger(cat, detail, cls, hit[0], hit[1]))
        if _is_personal_name(cls):
            found.append(Trigger("identity", "the identity of a person", cls, cls))
    return found


def _person_noun_contrast(classes: tuple[str, ...]) -> list[Trigger]:
    """Sets such as {man, woman} or {child, adult}: the contrast itself is a protected attribute."""
    all_nouns = [n for file in CATEGORIES for n in category(file).person_nouns]
    people = [c for c in classes if _person_in(words(c)) or any(contains(words(c), n) for n in all_nouns)]
    if len(people) < 2 or len(people) / len(classes) < PEOPLE_SHARE:
        return []
    found: list[Trigger] = []
    for file, (cat, detail) in CATEGORIES.items():
        nouns = category(file).person_nouns
        if not nouns:
            continue
        values = {}
        for c in people:
            for noun in nouns:
                if contains(words(c), noun):
                    values.setdefault(noun, c)
        if len(values) >= 2:
            found += [Trigger(cat, detail, c, " ".join(n)) for n, c in values.items()]
    return found


def describes_people(classes: tuple[str, ...]) -> list[str]:
    """The classes that name a person, when they make up a quarter or more of the set; else none."""
    people = [c for c in classes if _person_in(words(c))]
    return people if people and len(people) / len(classes) >= PEOPLE_SHARE else []


def find_triggers(classes: tuple[str, ...], templates: tuple[str, ...]) -> list[Trigger]:
    seen: set[tuple[str, str]] = set()
    out = []
    for t in _term_triggers(classes, templates) + _person_noun_contrast(classes):
        if (t.class_name, t.detail) not in seen:
            seen.add((t.class_name, t.detail))
            out.append(t)
    return out


def _describe(triggers: list[Trigger]) -> str:
    lines = []
    for t in triggers:
        via = f' (through the template "{t.via_template}")' if t.via_template else ""
        lines.append(f'  - "{t.class_name}": {t.detail} (matched "{t.term}"){via}')
    return "\n".join(lines)


def check_request(
    classes: tuple[str, ...],
    templates: tuple[str, ...],
    *,
    contains_people: bool = False,
    consent_policy: str | None = None,
) -> None:
    triggers = find_triggers(classes, templates)
    if triggers:
        order = ["medical", "legal", "safety-critical", "identity", "protected attribute"]
        kinds = sorted({t.category for t in triggers}, key=order.index)
        reason = {
            "medical": "medical",
            "legal": "legal",
            "safety-critical": "safety_critical",
            "identity": "identity",
            "protected attribute": "protected_attribute",
        }[kinds[0]]
        raise RefusalError(
            f"Refused: these candidate classes ask for {' and '.join(sorted({t.detail for t in triggers}))}, "
            "which zero-shot image similarity must not decide.\n" + _describe(triggers),
            reason=reason,
            triggers=tuple(t.class_name for t in triggers),
            hint=SUPERVISED_HINT,
        )
    people = describes_people(classes)
    if (contains_people or people) and not (consent_policy and consent_policy.strip()):
        why = (
            "you said the images contain people"
            if contains_people
            else "your candidate classes describe people (" + ", ".join(f'"{p}"' for p in people) + ")"
        )
        raise RefusalError(
            f"Refused: {why}, and no consent policy was given.",
            reason="people_without_consent_policy",
            triggers=tuple(people),
            hint="Classifying images of people needs a downstream consent policy: pass --consent-policy with a path "
            "or identifier of the policy that covers these images (library: consent_policy=...). It is recorded "
            "verbatim in the output metadata.",
        )
