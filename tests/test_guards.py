import pytest

from clip_zero_shot.errors import RefusalError
from clip_zero_shot.guards import check_request, find_triggers
from clip_zero_shot.request import ClassificationRequest

T = ("a photo of a {}", "a picture of a {}", "an image of a {}")

SENSITIVE = {
    "medical": [
        ["malignant", "benign"],
        ["fracture", "no fracture"],
        ["melanoma", "benign mole"],
        ["pneumonia", "normal lung"],
        ["tumor", "healthy tissue"],
        ["diabetic retinopathy", "healthy retina"],
        ["covid-19", "healthy"],
        ["skin cancer", "normal skin"],
        ["tuberculosis", "clear chest x-ray"],
        ["lesion", "no lesion"],
        ["glaucoma", "healthy eye"],
        ["stroke", "no stroke"],
    ],
    "legal": [
        ["guilty", "innocent"],
        ["criminal", "law-abiding citizen"],
        ["suspect", "bystander"],
        ["shoplifter", "customer"],
        ["terrorist", "tourist"],
        ["convicted felon", "ordinary person"],
    ],
    "safety-critical": [
        ["safe to eat", "poisonous"],
        ["edible mushroom", "poisonous mushroom"],
        ["safe bridge", "unsafe bridge"],
        ["structurally sound building", "about to collapse"],
        ["roadworthy car", "unroadworthy car"],
        ["loaded gun", "unloaded gun"],
        ["venomous snake", "harmless snake"],
        ["safe to drink", "toxic water"],
    ],
    "identity": [
        ["Barack Obama", "Donald Trump"],
        ["Taylor Swift", "Beyonce"],
        ["John Smith", "Maria Garcia"],
        ["same person", "different person"],
        ["Wei Zhang", "Priya Sharma"],
    ],
    "protected attribute": [
        ["man", "woman"],
        ["boy", "girl"],
        ["male person", "female person"],
        ["black person", "white person"],
        ["asian man", "european man"],
        ["muslim", "christian", "jew"],
        ["gay man", "straight man"],
        ["child", "adult"],
        ["elderly person", "young person"],
        ["disabled person", "able-bodied person"],
        ["pregnant woman", "woman"],
        ["german person", "french person"],
        ["dark-skinned person", "light-skinned person"],
        ["transgender", "cisgender"],
        ["hispanic", "caucasian"],
        ["wheelchair user", "pedestrian"],
    ],
}
CASES = [(cat, classes) for cat, sets in SENSITIVE.items() for classes in sets]


def test_at_least_forty_sensitive_sets():
    assert len(CASES) >= 40


@pytest.mark.parametrize(("category", "classes"), CASES, ids=[" vs ".join(c) for _, c in CASES])
def test_sensitive_sets_are_refused_with_their_category(category, classes):
    with pytest.raises(RefusalError) as exc:
        check_request(tuple(classes), T)
    assert category in {t.category for t in find_triggers(tuple(classes), T)}
    assert exc.value.reason in {"medical", "legal", "safety_critical", "identity", "protected_attribute"}
    assert exc.value.triggers
    assert "supervised model" in exc.value.hint and "audit trail" in exc.value.hint
    message = str(exc.value)
    assert any(f'"{c}"' in message for c in exc.value.triggers)


def test_templates_are_read_with_the_classes():
    check_request(("yes", "no"), ("a photo of a {}",))
    with pytest.raises(RefusalError) as exc:
        check_request(("yes", "no"), ("is this mole malignant? {}",))
    assert exc.value.reason == "medical"
    assert "through the template" in str(exc.value)
    with pytest.raises(RefusalError) as exc:
        check_request(("asian", "white"), ("a photo of a {} person",))
    assert exc.value.reason == "protected_attribute"


def test_imagenet_classes_pass():
    from open_clip.zero_shot_metadata import IMAGENET_CLASSNAMES, OPENAI_IMAGENET_TEMPLATES

    templates = tuple(t("{}") for t in OPENAI_IMAGENET_TEMPLATES)
    assert len(IMAGENET_CLASSNAMES) == 1000
    assert find_triggers(tuple(IMAGENET_CLASSNAMES), templates) == []
    check_request(tuple(IMAGENET_CLASSNAMES), T)


CIFAR10 = "airplane automobile bird cat deer dog frog horse ship truck".split()
CIFAR100 = (
    "apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly camel can castle "
    "caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup dinosaur dolphin elephant "
    "flatfish forest fox girl hamster house kangaroo keyboard lamp lawn_mower leopard lion lizard lobster man "
    "maple_tree motorcycle mountain mouse mushroom oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree "
    "plain plate poppy porcupine possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper "
    "snail snake spider squirrel streetcar sunflower sweet_pepper table tank telephone television tiger tractor "
    "train trout tulip turtle wardrobe whale willow_tree wolf woman worm"
).split()
LOOKALIKES = [
    ["black cat", "white cat"],
    ["Persian cat", "Egyptian cat"],
    ["German shepherd", "golden retriever"],
    ["Asian elephant", "African elephant"],
    ["French fries", "onion rings"],
    ["police car", "ambulance"],
    ["stethoscope", "syringe"],
    ["Jack Russell terrier", "Gordon setter"],
    ["race car", "go-kart"],
    ["ram (adult male sheep)", "ewe"],
    ["old English sheepdog", "young puppy"],
    ["red shape", "blue shape"],
]


@pytest.mark.parametrize(
    "classes",
    [CIFAR10, [c.replace("_", " ") for c in CIFAR100], *LOOKALIKES],
    ids=["cifar10", "cifar100", *[" vs ".join(x) for x in LOOKALIKES]],
)
def test_benign_vocabularies_pass(classes):
    assert find_triggers(tuple(classes), T) == []
    ClassificationRequest.build(classes)


def test_people_need_a_consent_policy():
    with pytest.raises(RefusalError) as exc:
        ClassificationRequest.build(["cat", "dog"], contains_people=True)
    assert exc.value.reason == "people_without_consent_policy"
    req = ClassificationRequest.build(["cat", "dog"], contains_people=True, consent_policy="policies/consent-v2.pdf")
    assert req.consent_policy == "policies/consent-v2.pdf"


@pytest.mark.parametrize("classes", [["person", "empty street"], ["face", "car", "dog"], ["crowd", "empty stadium"]])
def test_classes_that_describe_people_imply_people(classes):
    with pytest.raises(RefusalError) as exc:
        ClassificationRequest.build(classes)
    assert exc.value.reason == "people_without_consent_policy"
    assert ClassificationRequest.build(classes, consent_policy="consent-policy-2026-03").consent_policy


def test_refusals_happen_even_with_a_consent_policy():
    with pytest.raises(RefusalError) as exc:
        ClassificationRequest.build(["man", "woman"], contains_people=True, consent_policy="p")
    assert exc.value.reason == "protected_attribute"
