"""Typical wrong answers for unit 04_backprop; each must lose points in its own tests
only (see wrong_answer.WrongAnswer)."""

from wrong_answer import WrongAnswer

# Every test builds its own inputs: maxout_backward's tests build the documented
# cache (maxout_cache), so no answer's tests depend on another answer.
DEPENDS_ON: dict[str, set[str]] = {}

CASES = [
    WrongAnswer(
        "overfit_hparams",
        "the defaults: weights too small for the signal to get through",
        replace=[
            (
                '5: {"learning_rate": 0.05, "weight_scale": 0.1}',
                '5: {"learning_rate": 1e-3, "weight_scale": 1e-2}',
            )
        ],
        says="Hint: the net barely learns",
    ),
    WrongAnswer(
        "overfit_hparams",
        "a learning rate so large that the 5-layer net's loss blows up",
        replace=[
            (
                '5: {"learning_rate": 0.05, "weight_scale": 0.1}',
                '5: {"learning_rate": 0.3, "weight_scale": 0.2}',
            )
        ],
        says="Hint: the loss blows up",
    ),
    WrongAnswer(
        "affine_forward",
        "does not flatten each example",
        replace=[("out = x.reshape(x.shape[0], -1) @ w + b", "out = x @ w + b")],
        says="ValueError: matmul",
    ),
    WrongAnswer(
        "affine_forward",
        "forgets the bias",
        replace=[
            (
                "out = x.reshape(x.shape[0], -1) @ w + b",
                "out = x.reshape(x.shape[0], -1) @ w",
            )
        ],
        says="Hint: flatten each example with x.reshape(N, -1), then @ w + b.",
    ),
    WrongAnswer(
        "affine_forward",
        "caches the flattened input instead of x",
        replace=[("cache = (x, w, b)", "cache = (x.reshape(x.shape[0], -1), w, b)")],
        says="Hint: return the inputs themselves: cache = (x, w, b).",
    ),
    WrongAnswer(
        "affine_backward",
        "returns dx flattened, not in x's shape",
        replace=[("dx = (dout @ w.T).reshape(x.shape)", "dx = dout @ w.T")],
        says="Hint: dx = dout @ w.T, reshaped back to x.shape.",
    ),
    WrongAnswer(
        "affine_backward",
        "averages db over the batch",
        replace=[("db = dout.sum(axis=0)", "db = dout.mean(axis=0)")],
        says="Hint: the bias is added to every row: sum dout over the rows.",
    ),
    WrongAnswer(
        "affine_backward",
        "dw with the factors swapped",
        replace=[
            (
                "dw = x.reshape(x.shape[0], -1).T @ dout",
                "dw = dout.T @ x.reshape(x.shape[0], -1)",
            )
        ],
        says="Hint: dw = x flattened to (N, D), transposed, @ dout.",
    ),
    WrongAnswer(
        "relu_forward",
        "keeps the negative side",
        replace=[("out = np.maximum(0.0, x)", "out = np.minimum(0.0, x)")],
        says="Hint: negative inputs become 0, the rest pass unchanged.",
    ),
    WrongAnswer(
        "relu_forward",
        "absolute value instead of clipping",
        replace=[("out = np.maximum(0.0, x)", "out = np.abs(x)")],
        says="Hint: negative inputs become 0, the rest pass unchanged.",
    ),
    WrongAnswer(
        "relu_backward",
        "passes the gradient at x == 0",
        replace=[("dx = dout * (x > 0)", "dx = dout * (x >= 0)")],
        says="Hint: the course (like PyTorch) takes the gradient at 0 to be 0:",
    ),
    WrongAnswer(
        "relu_backward",
        "multiplies by the activation instead of the step",
        replace=[("dx = dout * (x > 0)", "dx = dout * np.maximum(0, x)")],
        says="Hint: pass dout through where x > 0 and block it elsewhere.",
    ),
    WrongAnswer(
        "leaky_relu_forward",
        "scales the positive side by alpha",
        replace=[("np.where(x > 0, x, alpha * x)", "np.where(x > 0, alpha * x, x)")],
        says="Hint: only the negative side is multiplied by alpha.",
    ),
    WrongAnswer(
        "leaky_relu_forward",
        "ignores alpha (a plain ReLU)",
        replace=[("np.where(x > 0, x, alpha * x)", "np.where(x > 0, x, 0.0)")],
        says="Hint: only the negative side is multiplied by alpha.",
    ),
    WrongAnswer(
        "leaky_relu_backward",
        "forgets alpha on the negative side",
        replace=[("np.where(x > 0, dout, alpha * dout)", "np.where(x > 0, dout, 0.0)")],
        says="Hint: dout where x > 0, alpha * dout where x <= 0.",
    ),
    WrongAnswer(
        "leaky_relu_backward",
        "puts alpha on the positive side",
        replace=[
            (
                "np.where(x > 0, dout, alpha * dout)",
                "np.where(x > 0, alpha * dout, dout)",
            )
        ],
        says="Hint: dout where x > 0, alpha * dout where x <= 0.",
    ),
    WrongAnswer(
        "sigmoid_forward",
        "sign error in the exponent",
        source="def sigmoid_forward(x):\n"
        "    out = 1.0 / (1.0 + np.exp(x))\n"
        "    return out, out\n",
        says="Hint: sigma(x) = 1 / (1 + exp(-x)); for x < 0 use exp(x) / (1 +",
    ),
    WrongAnswer(
        "sigmoid_forward",
        "exp(x) / (1 + exp(x)) overflows to nan for large x",
        source="def sigmoid_forward(x):\n"
        "    out = np.exp(x) / (1.0 + np.exp(x))\n"
        "    return out, out\n",
        says="Hint: sigma(x) = 1 / (1 + exp(-x)); for x < 0 use exp(x) / (1 +",
    ),
    WrongAnswer(
        "sigmoid_backward",
        "forgets the (1 - s) factor",
        replace=[("dx = dout * out * (1.0 - out)", "dx = dout * out")],
        says="Hint: the cache is sigma(x) itself: dx = dout * s * (1 - s).",
    ),
    WrongAnswer(
        "sigmoid_backward",
        "treats the cache as the input x",
        replace=[
            (
                "dx = dout * out * (1.0 - out)",
                "s = 1.0 / (1.0 + np.exp(-out))\n    dx = dout * s * (1.0 - s)",
            )
        ],
        says="Hint: the cache is sigma(x) itself: dx = dout * s * (1 - s).",
    ),
    WrongAnswer(
        "tanh_forward",
        "2 sigma(x) - 1 instead of 2 sigma(2x) - 1",
        replace=[("out = np.tanh(x)", "out = 2.0 / (1.0 + np.exp(-x)) - 1.0")],
        says="CheckFailed: tanh_forward:",
    ),
    WrongAnswer(
        "tanh_forward",
        "the sigmoid instead of tanh",
        replace=[("out = np.tanh(x)", "out = 1.0 / (1.0 + np.exp(-x))")],
        says="CheckFailed: tanh_forward:",
    ),
    WrongAnswer(
        "tanh_backward",
        "1 - out instead of 1 - out**2",
        replace=[("dx = dout * (1.0 - out**2)", "dx = dout * (1.0 - out)")],
        says="Hint: d tanh(x)/dx = 1 - tanh(x)**2, and the cache is tanh(x).",
    ),
    WrongAnswer(
        "tanh_backward",
        "applies tanh to the cached output again",
        replace=[
            ("dx = dout * (1.0 - out**2)", "dx = dout * (1.0 - np.tanh(out) ** 2)")
        ],
        says="Hint: d tanh(x)/dx = 1 - tanh(x)**2, and the cache is tanh(x).",
    ),
    WrongAnswer(
        "softmax_loss",
        "dx not divided by N",
        replace=[("    dx /= x.shape[0]\n", "")],
        says="Hint: dx = (probabilities - one_hot(y)) / N.",
    ),
    WrongAnswer(
        "softmax_loss",
        "no shift by the row maximum (nan for large scores)",
        source="def softmax_loss(x, y):\n"
        "    rows = np.arange(x.shape[0])\n"
        "    probs = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)\n"
        "    loss = -np.log(probs[rows, y]).mean()\n"
        "    dx = probs.copy()\n"
        "    dx[rows, y] -= 1.0\n"
        "    return loss, dx / x.shape[0]\n",
        says="Hint: subtract each row's maximum and stay in log space.",
    ),
    WrongAnswer(
        "softmax_loss",
        "forgets to subtract 1 at the correct class",
        replace=[("    dx[rows, y] -= 1.0\n", "")],
        says="Hint: dx = (probabilities - one_hot(y)) / N.",
    ),
    WrongAnswer(
        "svm_loss",
        "counts the correct class's own margin",
        replace=[("    margins[rows, y] = 0.0\n", "")],
        says="Hint: each of the C - 1 wrong classes violates the margin by 1;",
    ),
    WrongAnswer(
        "svm_loss",
        "correct class gets -1 instead of minus the count",
        replace=[("dx[rows, y] = -dx.sum(axis=1)", "dx[rows, y] = -1.0")],
        says="Hint: 1/N for each violated margin; the correct class gets minus",
    ),
    WrongAnswer(
        "bce_with_logits_loss",
        "takes the log of the sigmoid (infinite for large logits)",
        source="def bce_with_logits_loss(x, y):\n"
        "    s = 1.0 / (1.0 + np.exp(-x))\n"
        "    loss = -(y * np.log(s) + (1 - y) * np.log(1 - s)).mean()\n"
        "    return loss, (s - y) / x.size\n",
        says="Hint: use the form max(x, 0) - x * y + log1p(exp(-|x|));",
    ),
    WrongAnswer(
        "bce_with_logits_loss",
        "averages over the rows, not over every element",
        replace=[
            (".mean()", ".sum() / x.shape[0]"),
            ("dx = (probs - y) / x.size", "dx = (probs - y) / x.shape[0]"),
        ],
        says="Hint: the mean over ALL elements of max(x, 0) - x * y +",
    ),
    WrongAnswer(
        "bce_with_logits_loss",
        "gradient with the sign flipped",
        replace=[("dx = (probs - y) / x.size", "dx = (y - probs) / x.size")],
        says="Hint: dx = (sigmoid(x) - y) / x.size.",
    ),
    WrongAnswer(
        "init_weights",
        "xavier scaled by fan_out",
        replace=[
            ('"xavier": 1.0 / np.sqrt(fan_in)', '"xavier": 1.0 / np.sqrt(fan_out)')
        ],
        says="Hint: scale rng.standard_normal((fan_in, fan_out)) by the",
    ),
    WrongAnswer(
        "init_weights",
        "he without the factor 2",
        replace=[('"he": np.sqrt(2.0 / fan_in)', '"he": np.sqrt(1.0 / fan_in)')],
        says="Hint: scale rng.standard_normal((fan_in, fan_out)) by the",
    ),
    WrongAnswer(
        "init_weights",
        "he uses the variance 2/fan_in as the standard deviation",
        replace=[('"he": np.sqrt(2.0 / fan_in)', '"he": 2.0 / fan_in')],
        says="Hint: scale rng.standard_normal((fan_in, fan_out)) by the",
    ),
    WrongAnswer(
        "init_weights",
        "draws from np.random, not from rng",
        replace=[
            (
                "rng.standard_normal((fan_in, fan_out))",
                "np.random.standard_normal((fan_in, fan_out))",
            )
        ],
        says="Hint: draw every random number from rng, not np.random.",
    ),
    WrongAnswer(
        "TwoLayerNet",
        "regularises the biases too",
        replace=[
            (
                'loss += self.reg * (np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2))',
                "loss += self.reg * sum(np.sum(v**2) for v in p.values())",
            ),
            (
                'grads["W2"] += 2 * self.reg * p["W2"]',
                'grads["W2"] += 2 * self.reg * p["W2"]\n'
                '        grads["b1"] += 2 * self.reg * p["b1"]\n'
                '        grads["b2"] += 2 * self.reg * p["b2"]',
            ),
        ],
        says="Hint: data loss + reg * (sum(W1**2) + sum(W2**2)); biases are not",
    ),
    WrongAnswer(
        "TwoLayerNet",
        "regularisation gradient without the 2",
        replace=[
            (
                'grads["W1"] += 2 * self.reg * p["W1"]',
                'grads["W1"] += self.reg * p["W1"]',
            ),
            (
                'grads["W2"] += 2 * self.reg * p["W2"]',
                'grads["W2"] += self.reg * p["W2"]',
            ),
        ],
        says="Hint: backward through affine2, relu, affine1 in reverse order;",
    ),
    WrongAnswer(
        "TwoLayerNet",
        "forgets the ReLU",
        replace=[
            ("hidden, cache_relu = relu_forward(hidden)", "cache_relu = None"),
            ("dhidden = relu_backward(dhidden, cache_relu)", "pass"),
        ],
        says="Hint: scores = relu(X @ W1 + b1) @ W2 + b2.",
    ),
    WrongAnswer(
        "TwoLayerNet",
        "loss(X) returns probabilities instead of scores",
        replace=[
            (
                "        if y is None:\n            return scores\n",
                "        if y is None:\n"
                "            e = np.exp(scores - scores.max(axis=1, keepdims=True))\n"
                "            return e / e.sum(axis=1, keepdims=True)\n",
            )
        ],
        says="Hint: these are probabilities",
    ),
    WrongAnswer(
        "FullyConnectedNet",
        "applies a ReLU after the last layer too",
        replace=[
            (
                'scores, last_cache = affine_forward(out, p[f"W{L}"], p[f"b{L}"])',
                'scores, last_cache = affine_forward(out, p[f"W{L}"], p[f"b{L}"])\n'
                "        scores, last_relu = relu_forward(scores)",
            ),
            (
                "loss, dout = softmax_loss(scores, y)",
                "loss, dout = softmax_loss(scores, y)\n"
                "        dout = relu_backward(dout, last_relu)",
            ),
        ],
        says="CheckFailed: FullyConnectedNet([8, 7, 6]) loss:",
    ),
    WrongAnswer(
        "FullyConnectedNet",
        "does not regularise the last weight matrix",
        replace=[("for i in range(1, L + 1):", "for i in range(1, L):")],
        says="CheckFailed: FullyConnectedNet([8, 7, 6]) loss:",
    ),
    WrongAnswer(
        "FullyConnectedNet",
        "ignores dtype",
        replace=[
            ('self.params[f"W{i}"] = W.astype(dtype)', 'self.params[f"W{i}"] = W'),
            ("np.zeros(dims[i], dtype=dtype)", "np.zeros(dims[i])"),
        ],
        says="has dtype float64",
    ),
    WrongAnswer(
        "l2_loss",
        "sums instead of averaging",
        replace=[
            ("loss = float(np.mean(diff**2))", "loss = float(np.sum(diff**2))"),
            ("dpred = 2.0 * diff / diff.size", "dpred = 2.0 * diff"),
        ],
        says="Hint: the mean of (pred - target)**2 over ALL elements.",
    ),
    WrongAnswer(
        "l2_loss",
        "gradient without the 2",
        replace=[("dpred = 2.0 * diff / diff.size", "dpred = diff / diff.size")],
        says="Hint: dpred = 2 * (pred - target) / pred.size.",
    ),
    WrongAnswer(
        "l2_loss",
        "averages over the rows only",
        replace=[
            (
                "loss = float(np.mean(diff**2))",
                "loss = float(np.mean(np.sum(diff**2, axis=-1)))",
            ),
            ("dpred = 2.0 * diff / diff.size", "dpred = 2.0 * diff / len(diff)"),
        ],
        says="Hint: the mean of (pred - target)**2 over ALL elements.",
    ),
    WrongAnswer(
        "l1_loss",
        "gradient not divided by the number of elements",
        replace=[("dpred = np.sign(diff) / diff.size", "dpred = np.sign(diff)")],
        says="Hint: dpred = sign(pred - target) / pred.size.",
    ),
    WrongAnswer(
        "l1_loss",
        "gradient 1 where pred == target",
        replace=[
            (
                "dpred = np.sign(diff) / diff.size",
                "dpred = np.where(diff >= 0, 1.0, -1.0) / diff.size",
            )
        ],
        says="Hint: where pred == target the gradient is 0",
    ),
    WrongAnswer(
        "l1_loss",
        "forgets the absolute value",
        replace=[
            ("loss = float(np.mean(np.abs(diff)))", "loss = float(np.mean(diff))")
        ],
        says="Hint: the mean of |pred - target| over ALL elements.",
    ),
    WrongAnswer(
        "maxout_forward",
        "takes the smallest piece",
        replace=[("np.argmax(pieces, axis=1)", "np.argmin(pieces, axis=1)")],
        says="Hint: this is the smallest piece: take the max over k.",
    ),
    WrongAnswer(
        "maxout_forward",
        "forgets the biases",
        replace=[
            (
                'np.einsum("nd,kdm->nkm", x, w) + b',
                'np.einsum("nd,kdm->nkm", x, w)',
            )
        ],
        says="Hint: the pieces need their biases: x @ w[k] + b[k].",
    ),
    WrongAnswer(
        "maxout_backward",
        "sends the gradient to every piece",
        replace=[
            (
                "dpieces = won * dout[:, None, :]",
                "dpieces = np.ones(won.shape) * dout[:, None, :]",
            )
        ],
        says="Hint: each dout[n, m] flows back through the winning piece k only",
    ),
    WrongAnswer(
        "maxout_backward",
        "averages db over the batch",
        replace=[("db = dpieces.sum(axis=0)", "db = dpieces.mean(axis=0)")],
        says="Hint: db[k, m] is the SUM of dout[n, m]",
    ),
    WrongAnswer(
        "TwoLayerNet",
        "draws the weights from NumPy's global generator",
        replace=[
            (
                'self.params["W1"] = weight_scale * rng.standard_normal(',
                'self.params["W1"] = weight_scale * np.random.standard_normal(',
            ),
            (
                'self.params["W2"] = weight_scale * rng.standard_normal(',
                'self.params["W2"] = weight_scale * np.random.standard_normal(',
            ),
        ],
        says="Hint: draw the weights from np.random.default_rng(seed).",
    ),
]

# (hidden test, the hint's first words) -> why no typical wrong answer shows it.
HINTS_NO_CASE_REACHES = {
    ("test_maxout_backward_hidden", "on a tie the first maximal piece"): (
        "the cache the test builds holds np.argmax's winners, and the backward reads "
        "them: an answer can split a tie only by ignoring the documented cache and "
        "recomputing the pieces, which needs b, not in the cache."
    ),
}
