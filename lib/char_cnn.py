"""A character-level convolutional language model in NumPy, built from any pair of
1-D convolution layers with unit 08's signatures (the student's ``conv1d_forward``
and ``conv1d_backward``). It trains with ``lib.char_rnn.train``, like CharRNN."""

from __future__ import annotations

import numpy as np

from lib import rnn_layers, sequence

PAD = 0


class CharCNN:
    """Embedding -> ``num_layers`` causal convolutions with ReLU -> scores.

    A causal convolution sees the current position and the ``kernel_size - 1``
    before it: the layer pads ``kernel_size - 1`` zeros at both ends and keeps the
    first T outputs, so no position reads a later one. The receptive field is
    ``num_layers * (kernel_size - 1) + 1`` characters. ``loss(ids)`` is CharRNN's:
    mean cross-entropy of each next token over the non-padding targets.
    """

    def __init__(
        self,
        vocab_size,
        conv_forward,
        conv_backward,
        wordvec_dim=32,
        num_filters=64,
        kernel_size=3,
        num_layers=2,
        seed=0,
        dtype=np.float32,
    ):
        rng = np.random.default_rng(seed)
        self.conv_forward, self.conv_backward = conv_forward, conv_backward
        self.kernel_size, self.num_layers = kernel_size, num_layers
        params = {"W_embed": rng.normal(size=(vocab_size, wordvec_dim)) * 0.1}
        fan_in = wordvec_dim
        for layer in range(num_layers):
            params[f"w{layer}"] = rng.normal(
                size=(kernel_size, fan_in, num_filters)
            ) * np.sqrt(2.0 / (kernel_size * fan_in))
            params[f"b{layer}"] = np.zeros(num_filters)
            fan_in = num_filters
        params["W_vocab"] = rng.normal(size=(fan_in, vocab_size)) / np.sqrt(fan_in)
        params["b_vocab"] = np.zeros(vocab_size)
        self.params = {k: v.astype(dtype) for k, v in params.items()}

    @property
    def receptive_field(self) -> int:
        return self.num_layers * (self.kernel_size - 1) + 1

    def scores(self, x_in):
        """Scores (N, T, V) of the next token after each position of ``x_in``
        (N, T), and the caches of the forward pass."""
        p, pad = self.params, self.kernel_size - 1
        T = x_in.shape[1]
        h, embed_cache = rnn_layers.word_embedding_forward(x_in, p["W_embed"])
        caches = []
        for layer in range(self.num_layers):
            out, cache = self.conv_forward(h, p[f"w{layer}"], p[f"b{layer}"], pad)
            out = out[:, :T]  # output t has read inputs t - pad .. t
            caches.append((cache, out > 0))
            h = np.maximum(out, 0)
        scores, scores_cache = sequence.temporal_affine_forward(
            h, p["W_vocab"], p["b_vocab"]
        )
        return scores, (embed_cache, caches, scores_cache)

    def loss(self, ids):
        pad, y = self.kernel_size - 1, ids[:, 1:]
        T = y.shape[1]
        scores, (embed_cache, caches, scores_cache) = self.scores(ids[:, :-1])
        loss, dscores = sequence.temporal_softmax_loss(scores, y, y != PAD)
        grads = {}
        dh, grads["W_vocab"], grads["b_vocab"] = sequence.temporal_affine_backward(
            dscores, scores_cache
        )
        for layer in reversed(range(self.num_layers)):
            cache, active = caches[layer]
            dout = np.zeros((len(dh), T + pad, dh.shape[2]), dtype=dh.dtype)
            dout[:, :T] = dh * active  # the outputs cut off get no gradient
            dh, grads[f"w{layer}"], grads[f"b{layer}"] = self.conv_backward(dout, cache)
        grads["W_embed"] = rnn_layers.word_embedding_backward(dh, embed_cache)
        return loss, grads
