"""Typical wrong answers for unit 08_rnn; each must lose points in its own tests
only (see wrong_answer.WrongAnswer)."""

from wrong_answer import WrongAnswer

# The sequence layers call the step functions, and CharRNN calls the layers (their
# tests swap in references, but a broken answer cell can still raise on import).
DEPENDS_ON = {
    "rnn_forward": {"rnn_step_forward"},
    "rnn_backward": {"rnn_step_backward"},
    "lstm_forward": {"lstm_step_forward"},
    "lstm_backward": {"lstm_step_backward"},
    "gru_forward": {"gru_step_forward"},
    "gru_backward": {"gru_step_backward"},
}

CASES = [
    WrongAnswer(
        "CharRNN",
        "the sampler never feeds the sampled token through the cell",
        replace=[
            (
                'h, c, _ = lstm_step_forward(x, h, c, p["Wx"], p["Wh"], p["b"])',
                "pass",
            ),
            (
                'h, _ = rnn_step_forward(x, h, p["Wx"], p["Wh"], p["b"])',
                "pass",
            ),
        ],
        says="Hint: at each step feed the token just sampled through the cell",
    ),
    WrongAnswer(
        "sequence_mse_loss",
        "averages over the steps only, not the features",
        replace=[("count = weights.sum() * pred.shape[2]", "count = weights.sum()")],
        says="Hint: the mean over the steps AND the features",
    ),
    WrongAnswer(
        "sequence_mse_loss",
        "counts the masked steps in the mean",
        replace=[("count = weights.sum() * pred.shape[2]", "count = pred.size")],
        says="Hint: average only over the steps where the mask is True",
    ),
    WrongAnswer(
        "sequence_mse_loss",
        "a gradient without the 2 of the square",
        replace=[("2 * diff / count", "diff / count")],
        says="Hint: dpred = 2 (pred - target) / (number of terms averaged).",
    ),
    WrongAnswer(
        "rnn_step_forward",
        "forgets the bias",
        replace=[
            (
                "next_h = np.tanh(x @ Wx + prev_h @ Wh + b)",
                "next_h = np.tanh(x @ Wx + prev_h @ Wh)",
            )
        ],
        says="Hint: next_h = np.tanh(x @ Wx + prev_h @ Wh + b).",
    ),
    WrongAnswer(
        "rnn_step_forward",
        "sigmoid instead of tanh",
        replace=[
            (
                "next_h = np.tanh(x @ Wx + prev_h @ Wh + b)",
                "next_h = 1 / (1 + np.exp(-(x @ Wx + prev_h @ Wh + b)))",
            )
        ],
        says="Hint: next_h = np.tanh(x @ Wx + prev_h @ Wh + b).",
    ),
    WrongAnswer(
        "rnn_step_forward",
        "caches the pre-activation instead of next_h",
        replace=[
            (
                "cache = (x, prev_h, Wx, Wh, next_h)",
                "cache = (x, prev_h, Wx, Wh, x @ Wx + prev_h @ Wh + b)",
            )
        ],
        says="CheckFailed: cache of rnn_step_forward: next_h:",
    ),
    WrongAnswer(
        "rnn_step_backward",
        "tanh derivative taken as 1 - next_h",
        replace=[("da = dnext_h * (1.0 - next_h**2)", "da = dnext_h * (1.0 - next_h)")],
        says="Hint: dx = da @ Wx.T with da = dnext_h * (1 - next_h**2).",
    ),
    WrongAnswer(
        "rnn_step_backward",
        "weight gradients transposed",
        replace=[("dWh = prev_h.T @ da", "dWh = da.T @ prev_h")],
        says="Hint: dWh = prev_h.T @ da.",
    ),
    WrongAnswer(
        "rnn_forward",
        "every step starts again from h0",
        replace=[
            (
                "prev_h, step_cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)",
                "prev_h, step_cache = rnn_step_forward(x[:, t], h0, Wx, Wh, b)",
            )
        ],
        says="Hint: feed each step's next_h in as the next step's prev_h,",
    ),
    WrongAnswer(
        "rnn_forward",
        "caches only the last step",
        replace=[
            ("        cache.append(step_cache)\n", "        cache = [step_cache]\n")
        ],
        says="Hint: append each step's cache to a list, first step first.",
    ),
    WrongAnswer(
        "rnn_backward",
        "forgets the gradient flowing from the next step",
        replace=[("dh[:, t] + dprev_h, cache[t])", "dh[:, t], cache[t])")],
        says="Hint: dx[:, t] is the dx of step t, whose upstream gradient is",
    ),
    WrongAnswer(
        "rnn_backward",
        "keeps the last step's weight gradients instead of adding them",
        replace=[
            (
                "dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t",
                "dWx, dWh, db = dWx_t, dWh_t, db_t",
            )
        ],
        says="Hint: the weights are shared: add every step's dWx.",
    ),
    WrongAnswer(
        "rnn_backward",
        "walks the steps forwards",
        replace=[("for t in reversed(range(T)):", "for t in range(T):")],
        says="Hint: dx[:, t] is the dx of step t, whose upstream gradient is",
    ),
    WrongAnswer(
        "word_embedding_forward",
        "time-major output (T, N, D)",
        replace=[("out = W[x]", "out = W[x.T]")],
        says="Hint: out[n, t] is the row W[x[n, t]]: fancy indexing W[x].",
    ),
    WrongAnswer(
        "word_embedding_forward",
        "squeezes the output (drops axes of length 1)",
        replace=[("out = W[x]", "out = np.squeeze(W[x])")],
        says="Hint: out has shape (N, T, D) even when N = T = 1",
    ),
    WrongAnswer(
        "word_embedding_forward",
        "flattens the batch: (N * T, D)",
        replace=[("out = W[x]", "out = W[x.reshape(-1)]")],
        says="Hint: out[n, t] is the row W[x[n, t]]: fancy indexing W[x].",
    ),
    WrongAnswer(
        "word_embedding_backward",
        "fancy-index += loses repeated tokens",
        replace=[("np.add.at(dW, x, dout)", "dW[x] += dout")],
        says="Hint: tokens 0 and 2 occur twice: their rows get two gradients.",
    ),
    WrongAnswer(
        "word_embedding_backward",
        "divides by the number of positions, as if the loss were averaged here",
        replace=[("np.add.at(dW, x, dout)", "np.add.at(dW, x, dout / x.size)")],
        says="Hint: every position adds its dout to its token's row once",
    ),
    WrongAnswer(
        "lstm_step_forward",
        "gates in PyTorch's order i, f, g, o",
        replace=[
            (
                "o = sigmoid(a[:, 2 * H:3 * H])\n    g = np.tanh(a[:, 3 * H:])",
                "o = sigmoid(a[:, 3 * H:])\n    g = np.tanh(a[:, 2 * H:3 * H])",
            )
        ],
        says="Hint: the columns of a are, in blocks of H: i, f, o (sigmoid) and",
    ),
    WrongAnswer(
        "lstm_step_forward",
        "next_h from the cell without its tanh",
        replace=[("next_h = o * tanh_c", "next_h = o * next_c")],
        says="Hint: the columns of a are, in blocks of H: i, f, o (sigmoid) and",
    ),
    WrongAnswer(
        "lstm_step_forward",
        "forget gate applied to the candidate",
        replace=[("next_c = f * prev_c + i * g", "next_c = i * prev_c + f * g")],
        says="Hint: the columns of a are, in blocks of H: i, f, o (sigmoid) and",
    ),
    WrongAnswer(
        "lstm_step_backward",
        "cell gradient only from dnext_c",
        replace=[("dc = dnext_c + dnext_h * o * (1.0 - tanh_c**2)", "dc = dnext_c")],
        says="Hint: follow the chain rule through next_c = f * prev_c + i * g",
    ),
    WrongAnswer(
        "lstm_step_backward",
        "gate gradients stacked as i, f, g, o",
        replace=[
            (
                "do * o * (1 - o),\n                         dg * (1 - g**2)]",
                "dg * (1 - g**2),\n                         do * o * (1 - o)]",
            )
        ],
        says="Hint: follow the chain rule through next_c = f * prev_c + i * g",
    ),
    WrongAnswer(
        "lstm_step_backward",
        "dprev_c without the forget gate",
        replace=[("dprev_c = dc * f", "dprev_c = dc")],
        says="Hint: dprev_c = dc * f, where dc = dnext_c + dnext_h * o * (1 -",
    ),
    WrongAnswer(
        "lstm_forward",
        "the cell restarts at zero every step",
        replace=[
            ("x[:, t], prev_h, prev_c, Wx,", "x[:, t], prev_h, np.zeros_like(h0), Wx,")
        ],
        says="Hint: start from h0 and c0 = zeros; pass both states on.",
    ),
    WrongAnswer(
        "lstm_forward",
        "returns the cell states instead of the hidden states",
        replace=[("h[:, t] = prev_h", "h[:, t] = prev_c")],
        says="Hint: these are the cell states c",
    ),
    WrongAnswer(
        "lstm_backward",
        "the cell gradient does not flow back",
        replace=[
            (
                "dh[:, t] + dprev_h, dprev_c, cache[t])",
                "dh[:, t] + dprev_h, np.zeros_like(dprev_c), cache[t])",
            )
        ],
        says="Hint: pass dh[:, t] + dprev_h and dprev_c to step t, from the",
    ),
    WrongAnswer(
        "lstm_backward",
        "forgets the hidden-state gradient from the next step",
        replace=[
            ("dh[:, t] + dprev_h, dprev_c, cache[t])", "dh[:, t], dprev_c, cache[t])")
        ],
        says="Hint: pass dh[:, t] + dprev_h and dprev_c to step t, from the",
    ),
    WrongAnswer(
        "gru_step_forward",
        "PyTorch's mix: z keeps the old state",
        replace=[
            ("next_h = (1 - z) * prev_h + z * n", "next_h = z * prev_h + (1 - z) * n")
        ],
        says="Hint: next_h = (1 - z) * prev_h + z * n: with z = 0 the old state",
    ),
    WrongAnswer(
        "gru_step_forward",
        "reset gate applied after the product",
        replace=[
            (
                "n = np.tanh(ax[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:])",
                "n = np.tanh(ax[:, 2 * H:] + r * (prev_h @ Wh[:, 2 * H:]))",
            )
        ],
        says="Hint: columns r, z, n; the reset gate multiplies prev_h before",
    ),
    WrongAnswer(
        "clip_grad_norm",
        "clips each array on its own",
        replace=[
            (
                "clipped = {k: g * scale for k, g in grads.items()}",
                "clipped = {k: g * min(1.0, max_norm / (np.linalg.norm(g) + 1e-6))\n"
                "               for k, g in grads.items()}",
            )
        ],
        says="Hint: scale every array by the same max_norm / total_norm.",
    ),
    WrongAnswer(
        "clip_grad_norm",
        "scales small gradients up to max_norm",
        replace=[
            (
                "scale = min(1.0, max_norm / (total_norm + 1e-6))",
                "scale = max_norm / (total_norm + 1e-6)",
            )
        ],
        says="Hint: never scale gradients up.",
    ),
    WrongAnswer(
        "clip_grad_norm",
        "scales the inputs in place",
        replace=[
            (
                "clipped = {k: g * scale for k, g in grads.items()}",
                "for g in grads.values():\n        g *= scale\n    clipped = grads",
            )
        ],
        says="Hint: return new arrays; do not scale the inputs in place.",
    ),
    WrongAnswer(
        "CharRNN",
        "counts the padding targets in the loss",
        replace=[
            (
                "temporal_softmax_loss(scores, y, y != self.pad)",
                "temporal_softmax_loss(scores, y, y >= 0)",
            )
        ],
        says="Hint: targets are ids[:, 1:]; average over the targets that are",
    ),
    WrongAnswer(
        "CharRNN",
        "predicts the current token instead of the next",
        replace=[
            (
                "x_in, y = ids[:, :-1], ids[:, 1:]\n        grads = {}",
                "x_in, y = ids[:, :-1], ids[:, :-1]\n        grads = {}",
            )
        ],
        says="Hint: targets are ids[:, 1:]; average over the targets that are",
    ),
    WrongAnswer(
        "CharRNN",
        "sampling may draw padding and START",
        replace=[("            scores[:, [self.pad, self.start]] = -np.inf\n", "")],
        says="Hint: set their scores to -inf before the softmax.",
    ),
    WrongAnswer(
        "CharRNN",
        "sampling ignores the temperature",
        replace=[("astype(np.float64) / temperature", "astype(np.float64)")],
        says="frequencies of the first sampled token at temperature 0.5",
    ),
    WrongAnswer(
        "CharRNN",
        "sampling always takes the most likely token",
        replace=[
            (
                "token = np.array([rng.choice(len(row), p=row) for row in probs])",
                "token = probs.argmax(axis=1)",
            )
        ],
        says="frequencies of the first sampled token at temperature 1.0",
    ),
    WrongAnswer(
        "gru_step_backward",
        "misses the path through the reset gate's product",
        replace=[
            (
                "dprev_h = (dnext_h * (1 - z) + dreset_h * r\n",
                "dprev_h = (dnext_h * (1 - z)\n",
            )
        ],
        says="Hint: prev_h reaches next_h along four paths",
    ),
    WrongAnswer(
        "gru_step_backward",
        "the candidate's weights get prev_h, not r * prev_h",
        replace=[("(r * prev_h).T @ dn_in", "prev_h.T @ dn_in")],
        says="Hint: the candidate's block of Wh multiplies r * prev_h",
    ),
    WrongAnswer(
        "gru_step_backward",
        "the update gate's gradient with the wrong sign",
        replace=[("dz_in = dnext_h * (n - prev_h)", "dz_in = dnext_h * (prev_h - n)")],
        says="Hint: next_h = (1 - z) * prev_h + z * n sends dnext_h * z to n",
    ),
    WrongAnswer(
        "gru_forward",
        "starts every step from h0",
        replace=[
            (
                "prev_h, step_cache = gru_step_forward(x[:, t], prev_h, Wx, Wh, b)",
                "prev_h, step_cache = gru_step_forward(x[:, t], h0, Wx, Wh, b)",
            )
        ],
        says="Hint: feed each step's next_h in as the next step's prev_h",
    ),
    WrongAnswer(
        "gru_forward",
        "keeps only the last step's cache",
        replace=[("cache.append(step_cache)", "cache = [step_cache]")],
        says="Hint: append each step's cache to a list, first step first.",
    ),
    WrongAnswer(
        "gru_backward",
        "does not carry dprev_h back",
        replace=[
            ("gru_step_backward(dh[:, t] + dprev_h,", "gru_step_backward(dh[:, t],")
        ],
        says="Hint: pass dh[:, t] + dprev_h to step t",
    ),
    WrongAnswer(
        "gru_backward",
        "keeps only one step's weight gradients",
        replace=[
            (
                "dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t",
                "dWx, dWh, db = dWx_t, dWh_t, db_t",
            )
        ],
        says="add the weight gradients of every step.",
    ),
    WrongAnswer(
        "conv1d_forward",
        "flips the filter",
        replace=[
            (
                "out += x_pad[:, k:k + steps] @ w[k]",
                "out += x_pad[:, k:k + steps] @ w[K - 1 - k]",
            )
        ],
        says="Hint: out[t] = b + sum over k of x[t + k] @ w[k]: the filter is not",
    ),
    WrongAnswer(
        "conv1d_forward",
        "pads only the end of the sequence",
        replace=[
            (
                "x_pad = np.pad(x, ((0, 0), (pad, pad), (0, 0)))\n    steps",
                "x_pad = np.pad(x, ((0, 0), (0, 2 * pad), (0, 0)))\n    steps",
            )
        ],
        says="Hint: pad zero vectors at BOTH ends of the time axis",
    ),
    WrongAnswer(
        "conv1d_backward",
        "keeps the padding in dx",
        replace=[
            ("dx = dx_pad[:, pad:pad + x.shape[1]]", "dx = dx_pad[:, :x.shape[1]]")
        ],
        says="then cut the padding off.",
    ),
    WrongAnswer(
        "conv1d_backward",
        "db averaged over time",
        replace=[("db = dout.sum(axis=(0, 1))", "db = dout.sum(axis=0).mean(axis=0)")],
        says="Hint: db sums dout over the batch and time axes.",
    ),
    WrongAnswer(
        "conv1d_backward",
        "dw from the unpadded input",
        replace=[
            (
                'dw[k] = np.einsum("ntd,ntf->df", x_pad[:, k:k + steps], dout)',
                'dw[k] = np.einsum("ntd,ntf->df", x[:, k:k + steps], dout)',
            )
        ],
        says="ValueError: operands could not be broadcast together",
    ),
]

# (hidden test, the hint's first words) -> why no typical wrong answer shows it.
HINTS_NO_CASE_REACHES = {
    ("test_clip_grad_norm_hidden", "return a dict with the same keys as grads."): (
        "an answer whose dict has other keys fails the visible test first, which "
        "reads clipped['W'] (a KeyError that names the key); the hidden check only "
        "guards answers that pass it with extra or missing keys"
    ),
}
