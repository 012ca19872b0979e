"""Character-level text data for the sequence units: the census names, a character
vocabulary, padded index arrays, and the bigram baseline that every language model
of units 08 and 09 must beat."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib import data

PAD, START, END = "_", "^", "$"


@dataclass(frozen=True)
class CharVocab:
    """Index 0 is padding, 1 starts a name, 2 ends it; the letters follow."""

    letters: str

    @classmethod
    def from_names(cls, names) -> CharVocab:
        letters = "".join(sorted(set("".join(names))))
        clash = set(letters) & {PAD, START, END}
        if clash:
            raise ValueError(f"the names use reserved characters {sorted(clash)}")
        return cls(letters)

    @property
    def tokens(self) -> str:
        return PAD + START + END + self.letters

    @property
    def size(self) -> int:
        return len(self.tokens)

    @property
    def pad(self) -> int:
        return 0

    @property
    def start(self) -> int:
        return 1

    @property
    def end(self) -> int:
        return 2

    def encode(self, names, length: int | None = None) -> np.ndarray:
        """(N, length) int64: START, the letters, END, then padding.

        ``length`` defaults to the longest name + 2; longer names are an error.
        """
        index = {c: i for i, c in enumerate(self.tokens)}
        length = length or max(len(n) for n in names) + 2
        out = np.full((len(names), length), self.pad, dtype=np.int64)
        for row, name in enumerate(names):
            if len(name) + 2 > length:
                raise ValueError(f"{name!r} does not fit in {length} positions")
            unknown = set(name) - set(self.letters)
            if unknown:
                raise ValueError(
                    f"{name!r} has characters not in the vocabulary: {sorted(unknown)}"
                )
            out[row, : len(name) + 2] = [
                self.start,
                *(index[c] for c in name),
                self.end,
            ]
        return out

    def decode(self, ids) -> str:
        """The letters of one row of indices, up to the first END (START and
        padding are skipped)."""
        out = []
        for i in np.asarray(ids).tolist():
            if i == self.end:
                break
            if i > self.end:
                out.append(self.tokens[i])
        return "".join(out)


def name_splits(kind: str = "first", val_fraction: float = 0.1, seed: int = 0):
    """(vocab, {'train': ids, 'val': ids}, {'train': names, 'val': names}).

    The census names are shuffled with ``seed`` and split; ids are the padded
    (N, longest + 2) index arrays of CharVocab.encode, one length for both splits.
    """
    names = data.load_names(kind)
    order = np.random.default_rng(seed).permutation(len(names))
    n_val = int(round(val_fraction * len(names)))
    parts = {
        "val": [names[i] for i in order[:n_val]],
        "train": [names[i] for i in order[n_val:]],
    }
    vocab = CharVocab.from_names(names)
    length = max(len(n) for n in names) + 2
    ids = {k: vocab.encode(v, length) for k, v in parts.items()}
    return vocab, ids, parts


def bigram_nll(train_ids, val_ids, vocab_size: int, alpha: float = 0.1) -> float:
    """Mean negative log-likelihood (nats per predicted character) on ``val_ids`` of
    a bigram model counted on ``train_ids`` with add-``alpha`` smoothing.

    Every position after START is predicted from the one before it, END included;
    padding is never a target (index 0 must be the padding token).
    """
    counts = np.full((vocab_size, vocab_size), alpha)
    prev, nxt = train_ids[:, :-1].ravel(), train_ids[:, 1:].ravel()
    keep = nxt != 0
    np.add.at(counts, (prev[keep], nxt[keep]), 1.0)
    log_p = np.log(counts / counts.sum(axis=1, keepdims=True))
    prev, nxt = val_ids[:, :-1].ravel(), val_ids[:, 1:].ravel()
    keep = nxt != 0
    return float(-log_p[prev[keep], nxt[keep]].mean())
