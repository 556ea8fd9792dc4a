import numpy as np

from clip_zero_shot.ranking import ScoreRule, cosine_matrix, l2_normalise, top_k_indices


def test_softmax_matches_clip_formula():
    cos = np.array([[0.3, 0.1, -0.2]])
    rule = ScoreRule("softmax", logit_scale=100.0)
    logits = cos * 100.0
    expected = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(rule.probabilities(cos), expected, rtol=1e-12)
    assert abs(rule.probabilities(cos).sum() - 1) < 1e-12


def test_sigmoid_matches_siglip_formula_and_is_per_class():
    cos = np.array([[0.3, 0.1, -0.2]])
    rule = ScoreRule("sigmoid", logit_scale=117.33, logit_bias=-12.93)
    expected = 1 / (1 + np.exp(-(cos * 117.33 - 12.93)))
    np.testing.assert_allclose(rule.probabilities(cos), expected, rtol=1e-12)
    assert abs(rule.probabilities(cos).sum() - 1) > 0.1  # independent per class, not a distribution


def test_cosine_normalises_both_sides():
    a = np.array([[3.0, 4.0]])
    b = np.array([[6.0, 8.0], [0.0, -2.0]])
    np.testing.assert_allclose(cosine_matrix(a, b), [[1.0, -0.8]], rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(l2_normalise(b), axis=1), 1.0)


def test_top_k_is_best_first_and_ties_keep_class_order():
    scores = np.array([[0.1, 0.5, 0.5, 0.2]])
    assert top_k_indices(scores, 3).tolist() == [[1, 2, 3]]
