"""Prompt templates and candidate class names: reading, validating and normalising them."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import RefusalError, UsageError

TEMPLATE_SETS = {
    "default": "default.txt",
    "imagenet80": "imagenet80.txt",
    "imagenet7": "imagenet7.txt",
}
DEFAULT_TEMPLATES: tuple[str, ...] = ("a photo of a {}", "a picture of a {}", "an image of a {}")


@dataclass(frozen=True)
class Templates:
    """The templates used for a run and where they came from ("default", a named set, "custom")."""

    items: tuple[str, ...]
    source: str

    def fill(self, class_name: str) -> list[str]:
        return [t.replace("{}", class_name) for t in self.items]


def _read_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def named_template_set(name: str) -> tuple[str, ...]:
    if name not in TEMPLATE_SETS:
        raise UsageError(f"unknown template set {name!r}", hint=f"choose one of: {', '.join(TEMPLATE_SETS)}")
    text = resources.files("clip_zero_shot.data.templates").joinpath(TEMPLATE_SETS[name]).read_text("utf-8")
    return tuple(_read_lines(text))


def validate_template(template: str) -> str:
    template = template.strip()
    if template.count("{}") != 1:
        raise UsageError(
            f"template {template!r} must contain exactly one '{{}}' where the class name goes",
            hint="for example: --template 'a photo of a {}'",
        )
    # A stray "{0}" or "{name}" would be a second slot the user meant to fill.
    rest = template.replace("{}", "")
    if "{" in rest or "}" in rest:
        raise UsageError(f"template {template!r} has braces other than the single '{{}}' slot")
    return template


def resolve_templates(
    templates: list[str] | tuple[str, ...] | None = None,
    templates_file: str | Path | None = None,
    template_set: str | None = None,
) -> Templates:
    """Combine the three ways of giving templates; giving none means the default set."""
    items: list[str] = []
    sources: list[str] = []
    if template_set:
        items += named_template_set(template_set)
        sources.append(template_set)
    if templates_file:
        try:
            items += _read_lines(Path(templates_file).read_text("utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot read templates file {str(templates_file)!r}: {exc.strerror or exc}") from exc
        sources.append(f"file:{templates_file}")
    if templates:
        items += list(templates)
        sources.append("custom")
    if not items:
        if sources:
            raise UsageError("the templates given are empty")
        return Templates(DEFAULT_TEMPLATES, "default")
    seen: dict[str, None] = {}
    for t in items:
        seen.setdefault(validate_template(t), None)
    return Templates(tuple(seen), "+".join(sources))


@dataclass(frozen=True)
class CandidateClasses:
    names: tuple[str, ...]
    dropped_duplicates: tuple[str, ...]


def read_classes_file(path: str | Path) -> list[str]:
    try:
        return _read_lines(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read classes file {str(path)!r}: {exc.strerror or exc}") from exc


def split_classes(text: str) -> list[str]:
    return text.split(",")


def normalise_classes(raw: list[str] | tuple[str, ...]) -> CandidateClasses:
    """Trim, reject empty names, drop case-insensitive duplicates (keeping the first spelling)."""
    names: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for position, name in enumerate(raw, start=1):
        clean = " ".join(name.split())
        if not clean:
            raise UsageError(
                f"candidate class #{position} is empty",
                hint="remove the empty entry (check for ',,' or a trailing comma)",
            )
        key = clean.casefold()
        if key in seen:
            dropped.append(clean)
            continue
        seen.add(key)
        names.append(clean)
    if len(names) < 2:
        given = ", ".join(repr(n) for n in names) or "none"
        raise RefusalError(
            f"zero-shot classification needs at least two distinct candidate classes; got {len(names)} ({given}).",
            reason="too_few_classes",
            hint="A single candidate always wins, so its rank says nothing about the image. "
            "Add the alternatives you want it compared against, e.g. --classes 'cat,dog'.",
        )
    return CandidateClasses(tuple(names), tuple(dropped))
