import pytest

from clip_zero_shot.errors import RefusalError, UsageError
from clip_zero_shot.prompts import DEFAULT_TEMPLATES, named_template_set, normalise_classes, resolve_templates


def test_default_templates_are_the_three_documented_ones():
    t = resolve_templates()
    assert t.items == ("a photo of a {}", "a picture of a {}", "an image of a {}") == DEFAULT_TEMPLATES
    assert t.source == "default"


def test_named_sets_have_the_published_sizes():
    assert len(named_template_set("imagenet80")) == 80
    assert len(named_template_set("imagenet7")) == 7
    assert named_template_set("imagenet7")[0] == "itap of a {}."


@pytest.mark.parametrize("bad", ["a photo", "a {} and a {}", "a {0} photo", "{name}"])
def test_template_needs_exactly_one_slot(bad):
    with pytest.raises(UsageError, match="template"):
        resolve_templates([bad])


def test_templates_file_and_repeats_combine_without_duplicates(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("# comment\na sketch of a {}\n\na photo of a {}\n")
    t = resolve_templates(["a photo of a {}", "art of a {}"], templates_file=f)
    assert t.items == ("a sketch of a {}", "a photo of a {}", "art of a {}")
    assert t.fill("cat") == ["a sketch of a cat", "a photo of a cat", "art of a cat"]


def test_classes_are_trimmed_and_deduplicated_case_insensitively():
    c = normalise_classes(["  cat ", "Dog", "cat", "DOG", "red   fox"])
    assert c.names == ("cat", "Dog", "red fox")
    assert c.dropped_duplicates == ("cat", "DOG")


def test_empty_class_is_an_input_error():
    with pytest.raises(UsageError, match="#2 is empty"):
        normalise_classes(["cat", " ", "dog"])


@pytest.mark.parametrize("raw", [["cat"], ["cat", "Cat", " CAT "], []])
def test_fewer_than_two_distinct_classes_is_refused(raw):
    with pytest.raises(RefusalError) as exc:
        normalise_classes(raw) if raw else normalise_classes([])
    assert exc.value.reason == "too_few_classes"
