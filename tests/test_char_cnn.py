"""lib.char_cnn: the convolutional language model of unit 08's demo, built from the
solution's conv1d layers: exact gradients, and no position reads a later one."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.training import solution_namespace
from lib import char_cnn, char_rnn, gradcheck, text


@pytest.fixture(scope="module")
def conv():
    ns = solution_namespace(
        "08_rnn", "rnn.ipynb", ["conv1d_forward", "conv1d_backward"]
    )
    return ns["conv1d_forward"], ns["conv1d_backward"]


def _model(conv, seed=1, **kwargs):
    """A small float64 model. Its biases are made random: at the zero biases of a
    fresh model, a window whose inputs are all dead ReLUs puts the next ReLU exactly
    on its kink, where a central difference sees half the slope."""
    model = char_cnn.CharCNN(
        9, *conv, wordvec_dim=4, num_filters=5, seed=seed, dtype=np.float64, **kwargs
    )
    rng = np.random.default_rng(seed)
    for name in model.params:
        if name.startswith("b"):
            model.params[name] = rng.normal(size=model.params[name].shape) * 0.1
    return model


def _ids():
    vocab = text.CharVocab("abcdef")
    return vocab.encode(["abc", "fed", "a", "badcafe"], length=12)


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("kernel_size, num_layers", [(3, 2), (2, 1), (4, 3)])
def test_gradients_match_numerical_ones(conv, kernel_size, num_layers, seed):
    model = _model(conv, seed=seed, kernel_size=kernel_size, num_layers=num_layers)
    ids = _ids()
    _, grads = model.loss(ids)
    assert set(grads) == set(model.params)
    for name, param in model.params.items():
        numerical = gradcheck.eval_numerical_gradient(
            lambda _: model.loss(ids)[0], param
        )
        # relative to the whole gradient's norm: entries near 0 (embedding rows
        # of rare tokens) make an entrywise relative error meaningless
        error = np.linalg.norm(grads[name] - numerical) / np.linalg.norm(numerical)
        assert error < 1e-7, f"{name}: relative error {error:.2e}"


def test_no_position_reads_a_later_one(conv):
    """A token changed at position 5 changes the scores at positions 5 to 9 (the
    receptive field is num_layers * (kernel_size - 1) + 1 = 5) and no others."""
    model = _model(conv, kernel_size=3, num_layers=2)
    assert model.receptive_field == 5
    x_in = _ids()[3:, :-1]  # START, "badcafe", END, padding: 11 positions
    changed = x_in.copy()
    changed[0, 5] = 3 if x_in[0, 5] != 3 else 4
    before, after = model.scores(x_in)[0][0], model.scores(changed)[0][0]
    moved = [t for t in range(x_in.shape[1]) if not np.allclose(before[t], after[t])]
    assert moved == [5, 6, 7, 8, 9], f"positions whose scores changed: {moved}"


def test_it_beats_the_bigram_after_one_epoch(conv):
    vocab, ids, _ = text.name_splits("first", val_fraction=0.1, seed=0)
    bigram = text.bigram_nll(ids["train"], ids["val"], vocab.size, alpha=0.1)
    model = char_cnn.CharCNN(vocab.size, *conv)
    history = char_rnn.train(
        model, ids["train"], ids["val"], epochs=1, learning_rate=5e-3
    )
    assert history["val_loss"][0] < bigram - 0.1
