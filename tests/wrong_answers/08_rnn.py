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
}

CASES = [
    WrongAnswer(
        "rnn_step_forward",
        "forgets the bias",
        replace=[
            (
                "next_h = np.tanh(x @ Wx + prev_h @ Wh + b)",
                "next_h = np.tanh(x @ Wx + prev_h @ Wh)",
            )
        ],
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
    ),
    WrongAnswer(
        "rnn_step_backward",
        "tanh derivative taken as 1 - next_h",
        replace=[("da = dnext_h * (1.0 - next_h**2)", "da = dnext_h * (1.0 - next_h)")],
    ),
    WrongAnswer(
        "rnn_step_backward",
        "weight gradients transposed",
        replace=[("dWh = prev_h.T @ da", "dWh = da.T @ prev_h")],
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
    ),
    WrongAnswer(
        "rnn_forward",
        "caches only the last step",
        replace=[
            ("        cache.append(step_cache)\n", "        cache = [step_cache]\n")
        ],
    ),
    WrongAnswer(
        "rnn_backward",
        "forgets the gradient flowing from the next step",
        replace=[("dh[:, t] + dprev_h, cache[t])", "dh[:, t], cache[t])")],
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
    ),
    WrongAnswer(
        "rnn_backward",
        "walks the steps forwards",
        replace=[("for t in reversed(range(T)):", "for t in range(T):")],
    ),
    WrongAnswer(
        "word_embedding_forward",
        "time-major output (T, N, D)",
        replace=[("out = W[x]", "out = W[x.T]")],
    ),
    WrongAnswer(
        "word_embedding_forward",
        "flattens the batch: (N * T, D)",
        replace=[("out = W[x]", "out = W[x.reshape(-1)]")],
    ),
    WrongAnswer(
        "word_embedding_backward",
        "fancy-index += loses repeated tokens",
        replace=[("np.add.at(dW, x, dout)", "dW[x] += dout")],
    ),
    WrongAnswer(
        "word_embedding_backward",
        "divides by the number of positions, as if the loss were averaged here",
        replace=[("np.add.at(dW, x, dout)", "np.add.at(dW, x, dout / x.size)")],
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
    ),
    WrongAnswer(
        "lstm_step_forward",
        "next_h from the cell without its tanh",
        replace=[("next_h = o * tanh_c", "next_h = o * next_c")],
    ),
    WrongAnswer(
        "lstm_step_forward",
        "forget gate applied to the candidate",
        replace=[("next_c = f * prev_c + i * g", "next_c = i * prev_c + f * g")],
    ),
    WrongAnswer(
        "lstm_step_backward",
        "cell gradient only from dnext_c",
        replace=[("dc = dnext_c + dnext_h * o * (1.0 - tanh_c**2)", "dc = dnext_c")],
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
    ),
    WrongAnswer(
        "lstm_step_backward",
        "dprev_c without the forget gate",
        replace=[("dprev_c = dc * f", "dprev_c = dc")],
    ),
    WrongAnswer(
        "lstm_forward",
        "the cell restarts at zero every step",
        replace=[
            ("x[:, t], prev_h, prev_c, Wx,", "x[:, t], prev_h, np.zeros_like(h0), Wx,")
        ],
    ),
    WrongAnswer(
        "lstm_forward",
        "returns the cell states instead of the hidden states",
        replace=[("h[:, t] = prev_h", "h[:, t] = prev_c")],
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
    ),
    WrongAnswer(
        "lstm_backward",
        "forgets the hidden-state gradient from the next step",
        replace=[
            ("dh[:, t] + dprev_h, dprev_c, cache[t])", "dh[:, t], dprev_c, cache[t])")
        ],
    ),
    WrongAnswer(
        "gru_step_forward",
        "PyTorch's mix: z keeps the old state",
        replace=[
            ("next_h = (1 - z) * prev_h + z * n", "next_h = z * prev_h + (1 - z) * n")
        ],
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
    ),
    WrongAnswer(
        "CharRNN",
        "sampling may draw padding and START",
        replace=[("            scores[:, [self.pad, self.start]] = -np.inf\n", "")],
    ),
    WrongAnswer(
        "CharRNN",
        "sampling ignores the temperature",
        replace=[("astype(np.float64) / temperature", "astype(np.float64)")],
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
    ),
]
