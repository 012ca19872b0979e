"""A reference character-level RNN/LSTM language model in NumPy, and the training
loop unit 08 uses for any such model (anything with a ``params`` dict and
``loss(ids) -> (loss, grads)``). Graded answers may not call the model."""

from __future__ import annotations

import time

import numpy as np

from lib import optim, rnn_layers, sequence

PAD, START, END = 0, 1, 2


class CharRNN:
    """Embedding -> vanilla RNN or LSTM -> scores over the vocabulary at every step.

    ``loss(ids)`` reads (N, T) index rows (START, letters, END, padding), predicts
    each position from the ones before it, and averages the cross-entropy over the
    non-padding targets. h0 is zero.
    """

    def __init__(
        self,
        vocab_size,
        wordvec_dim=32,
        hidden_dim=128,
        cell_type="lstm",
        seed=0,
        dtype=np.float32,
    ):
        if cell_type not in ("rnn", "lstm"):
            raise ValueError(f"cell_type must be 'rnn' or 'lstm', got {cell_type!r}")
        rng = np.random.default_rng(seed)
        gates = 4 if cell_type == "lstm" else 1
        V, D, H = vocab_size, wordvec_dim, hidden_dim
        self.cell_type, self.hidden_dim = cell_type, H
        self.params = {
            "W_embed": rng.normal(size=(V, D)) * 0.1,
            "Wx": rng.normal(size=(D, gates * H)) / np.sqrt(D),
            "Wh": rng.normal(size=(H, gates * H)) / np.sqrt(H),
            "b": np.zeros(gates * H),
            "W_vocab": rng.normal(size=(H, V)) / np.sqrt(H),
            "b_vocab": np.zeros(V),
        }
        self.params = {k: v.astype(dtype) for k, v in self.params.items()}

    def _layers(self):
        if self.cell_type == "lstm":
            return rnn_layers.lstm_forward, rnn_layers.lstm_backward
        return rnn_layers.rnn_forward, rnn_layers.rnn_backward

    def loss(self, ids):
        p = self.params
        x_in, y = ids[:, :-1], ids[:, 1:]
        forward, backward = self._layers()
        emb, emb_cache = rnn_layers.word_embedding_forward(x_in, p["W_embed"])
        h0 = np.zeros((len(ids), self.hidden_dim), dtype=p["Wh"].dtype)
        h, h_cache = forward(emb, h0, p["Wx"], p["Wh"], p["b"])
        scores, s_cache = sequence.temporal_affine_forward(
            h, p["W_vocab"], p["b_vocab"]
        )
        loss, dscores = sequence.temporal_softmax_loss(scores, y, y != PAD)
        grads = {}
        dh, grads["W_vocab"], grads["b_vocab"] = sequence.temporal_affine_backward(
            dscores, s_cache
        )
        demb, _, grads["Wx"], grads["Wh"], grads["b"] = backward(dh, h_cache)
        grads["W_embed"] = rnn_layers.word_embedding_backward(demb, emb_cache)
        return loss, grads

    def sample(self, n, max_length=12, seed=0, temperature=1.0):
        p, H = self.params, self.hidden_dim
        rng = np.random.default_rng(seed)
        h = np.zeros((n, H), dtype=p["Wh"].dtype)
        c = np.zeros_like(h)
        token = np.full(n, START)
        out = np.full((n, max_length), END)
        done = np.zeros(n, dtype=bool)
        for t in range(max_length):
            x = p["W_embed"][token]
            if self.cell_type == "lstm":
                h, c, _ = rnn_layers.lstm_step_forward(
                    x, h, c, p["Wx"], p["Wh"], p["b"]
                )
            else:
                h, _ = rnn_layers.rnn_step_forward(x, h, p["Wx"], p["Wh"], p["b"])
            token = sample_rows((h @ p["W_vocab"] + p["b_vocab"]) / temperature, rng)
            token[done] = END
            out[:, t] = token
            done |= token == END
        return out


def sample_rows(scores, rng):
    """One index per row of ``scores``, drawn from softmax(scores) with ``rng``;
    padding and START are never drawn."""
    scores = np.array(scores, dtype=np.float64)
    scores[:, [PAD, START]] = -np.inf
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random((len(p), 1))
    return np.minimum((p.cumsum(axis=1) < u).sum(axis=1), p.shape[1] - 1)


def evaluate(model, ids, batch_size=1024) -> float:
    """Mean loss per predicted character over ``ids`` (weighted by target count)."""
    total, count = 0.0, 0
    for i in range(0, len(ids), batch_size):
        batch = ids[i : i + batch_size]
        n = int((batch[:, 1:] != PAD).sum())
        total += model.loss(batch)[0] * n
        count += n
    return total / count


def train(
    model,
    train_ids,
    val_ids,
    epochs=10,
    batch_size=64,
    learning_rate=1e-2,
    max_norm=None,
    seed=0,
    time_limit=None,
    clip=None,
    rule=None,
):
    """Train on mini-batches with ``rule`` (one of lib.optim's; Adam by default).

    Returns a history dict: per-step training losses and gradient norms (before
    clipping), per-epoch validation losses, seconds. ``clip`` is a function
    (grads, max_norm) -> (clipped, norm) used when ``max_norm`` is set (the
    course's reference by default); ``time_limit`` (s) stops after the epoch that
    passes it.

    Not ``lib.solver.Solver``: that one trains classifiers (labels, accuracy, the
    best parameters by validation accuracy, batches drawn with replacement); a
    language model has no labels or accuracy, and this loop needs what Solver does
    not do: epochs over a permutation, gradient norms and clipping, validation
    loss, a time limit. The update itself is shared (``optim.update_params``).
    """
    clip = clip or rnn_layers.clip_grad_norm
    rule = rule or optim.adam
    rng = np.random.default_rng(seed)
    configs = {k: {"learning_rate": learning_rate} for k in model.params}
    history = {"loss": [], "grad_norm": [], "val_loss": [], "seconds": 0.0}
    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(len(train_ids))
        for i in range(0, len(order), batch_size):
            loss, grads = model.loss(train_ids[order[i : i + batch_size]])
            norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
            if max_norm is not None:
                grads, norm = clip(grads, max_norm)
            optim.update_params(model.params, grads, rule, configs)
            history["loss"].append(loss)
            history["grad_norm"].append(norm)
        history["val_loss"].append(evaluate(model, val_ids))
        if time_limit is not None and time.perf_counter() - start > time_limit:
            break
    history["seconds"] = time.perf_counter() - start
    return history
