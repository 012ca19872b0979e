"""lib.text: the census-name vocabulary, padded encoding and the bigram baseline."""

from __future__ import annotations

import numpy as np
import pytest

from lib import text


def test_encode_decode_round_trip_and_errors():
    vocab = text.CharVocab.from_names(["ab", "ba", "c"])
    ids = vocab.encode(["ab", "c"], length=5)
    np.testing.assert_array_equal(ids, [[1, 3, 4, 2, 0], [1, 5, 2, 0, 0]])
    assert [vocab.decode(r) for r in ids] == ["ab", "c"]
    with pytest.raises(ValueError, match="does not fit"):
        vocab.encode(["abcabc"], length=5)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        vocab.encode(["abz"])


def test_name_splits_are_disjoint_and_seeded():
    vocab, ids, names = text.name_splits("first", seed=0)
    assert not set(names["train"]) & set(names["val"])
    assert len(names["val"]) == round(0.1 * (len(names["train"]) + len(names["val"])))
    again = text.name_splits("first", seed=0)[2]
    assert again["val"] == names["val"]
    assert ids["train"].shape[1] == ids["val"].shape[1]
    assert vocab.size == 29


def test_bigram_is_exact_on_a_tiny_corpus():
    vocab = text.CharVocab.from_names(["a", "b"])
    train = vocab.encode(["a", "a", "b"])
    # After START: a 2/3, b 1/3; after a or b: END always (alpha -> 0).
    nll = text.bigram_nll(train, vocab.encode(["a"]), vocab.size, alpha=1e-9)
    assert nll == pytest.approx(-(np.log(2 / 3) + 0.0) / 2, abs=1e-6)
