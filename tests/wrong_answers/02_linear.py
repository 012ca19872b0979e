"""Typical wrong answers for unit 02_linear; each must lose points in its own tests
only (see wrong_answer.WrongAnswer)."""

from wrong_answer import WrongAnswer

CASES = [
    WrongAnswer(
        "svm_loss_naive",
        "sums instead of averaging over the batch",
        replace=[
            ("loss = loss / num_train + reg", "loss = loss + reg"),
            ("dW = dW / num_train + 2", "dW = dW + 2"),
        ],
        says="Hint: average the hinge terms over the N examples, skip j ==",
    ),
    WrongAnswer(
        "svm_loss_naive",
        "counts the correct class's own margin",
        replace=[("            if j == y[i]:\n                continue\n", "")],
        says="Hint: average the hinge terms over the N examples, skip j ==",
    ),
    WrongAnswer(
        "svm_loss_naive",
        "regularisation gradient without the 2",
        replace=[
            ("dW = dW / num_train + 2 * reg * W", "dW = dW / num_train + reg * W")
        ],
        says="Hint: each violated margin adds x_i to column j and subtracts it",
    ),
    WrongAnswer(
        "svm_loss_vectorized",
        "forgets to zero the correct-class margins",
        replace=[("    margins[rows, y] = 0.0\n", "")],
        says="Hint: zero the margins of the correct classes before summing.",
    ),
    WrongAnswer(
        "svm_loss_vectorized",
        "correct column gets -1 instead of minus the count",
        replace=[("counts[rows, y] = -counts.sum(axis=1)", "counts[rows, y] = -1.0")],
        says="Hint: the correct class's column gets minus the NUMBER of",
    ),
    WrongAnswer(
        "svm_loss_vectorized",
        "loops over the examples",
        source="def svm_loss_vectorized(W, X, y, reg):\n"
        "    return svm_loss_naive(W, X, y, reg)\n",
        says="Hint: express the whole computation with array operations",
    ),
    WrongAnswer(
        "svm_loss_change_car",
        "the size of the change in the score",
        source="svm_loss_change_car = -0.5\n",
        says="Hint: both margins are still met after the change.",
    ),
    WrongAnswer(
        "svm_loss_change_car",
        "recomputes the loss, not its change",
        source="svm_loss_change_car = 1.0\n",
        says="Hint: both margins are still met after the change.",
    ),
    WrongAnswer(
        "svm_loss_min",
        "a negative minimum",
        source="svm_loss_min = -np.inf\n",
        says="CheckFailed: svm_loss_min:",
    ),
    WrongAnswer(
        "svm_loss_min",
        "the margin",
        source="svm_loss_min = 1.0\n",
        says="CheckFailed: svm_loss_min:",
    ),
    WrongAnswer(
        "svm_loss_max",
        "C - 1 for ten classes",
        source="svm_loss_max = 9.0\n",
        says="Hint: a wrong score can be arbitrarily far above the right one.",
    ),
    WrongAnswer(
        "svm_loss_max",
        "a large but finite number",
        source="svm_loss_max = 1e9\n",
        says="Hint: a wrong score can be arbitrarily far above the right one.",
    ),
    WrongAnswer(
        "svm_loss_at_init",
        "the lecture's sum over N examples",
        replace=[("    return C - 1", "    return 200 * (C - 1)")],
        says="Hint: with every score 0, each of the C - 1 wrong classes",
    ),
    WrongAnswer(
        "svm_loss_at_init",
        "counts the correct class too",
        replace=[("    return C - 1", "    return C")],
        says="Hint: with every score 0, each of the C - 1 wrong classes",
    ),
    WrongAnswer(
        "softmax_loss_naive",
        "log of an underflowing probability",
        replace=[
            (
                "        loss += log_norm - scores[y[i]]"
                "  # -log p_y, without forming p_y\n"
                "        probs = np.exp(scores - log_norm)\n",
                "        probs = np.exp(scores - log_norm)\n"
                "        loss -= np.log(probs[y[i]])\n",
            )
        ],
        says="Hint: with scores this large, exp overflows and the correct",
    ),
    WrongAnswer(
        "softmax_loss_naive",
        "gradient forgets to subtract 1 at the label",
        replace=[("        probs[y[i]] -= 1.0\n", "")],
        says="Hint: dL/ds_k = p_k - [k == y_i]; dW accumulates the outer",
    ),
    WrongAnswer(
        "softmax_loss_vectorized",
        "no max shift (overflows for big scores)",
        replace=[("    scores = scores - scores.max(axis=1, keepdims=True)\n", "")],
        says="Hint: with scores this large, exp overflows and the correct",
    ),
    WrongAnswer(
        "softmax_loss_vectorized",
        "normalises over the wrong axis",
        replace=[
            (
                "np.log(np.exp(scores).sum(axis=1, keepdims=True))",
                "np.log(np.exp(scores).sum(axis=0, keepdims=True))",
            )
        ],
        says="CheckFailed: loss of softmax_loss_vectorized:",
    ),
    WrongAnswer(
        "softmax_loss_vectorized",
        "gradient not divided by N",
        replace=[("dW = X.T @ dscores / num_train + 2", "dW = X.T @ dscores + 2")],
        says="Hint: dscores = probabilities, minus 1 at the correct class; dW =",
    ),
    WrongAnswer(
        "softmax_loss_min",
        "one over C",
        source="softmax_loss_min = 0.1\n",
        says="Hint: -log(p) approaches 0 as p approaches 1.",
    ),
    WrongAnswer(
        "softmax_loss_min",
        "minus infinity",
        source="softmax_loss_min = -np.inf\n",
        says="Hint: -log(p) approaches 0 as p approaches 1.",
    ),
    WrongAnswer(
        "softmax_loss_max",
        "one (a probability)",
        source="softmax_loss_max = 1.0\n",
        says="CheckFailed: softmax_loss_max:",
    ),
    WrongAnswer(
        "softmax_loss_max",
        "log C",
        source="softmax_loss_max = np.log(10)\n",
        says="CheckFailed: softmax_loss_max:",
    ),
    WrongAnswer(
        "softmax_loss_at_init",
        "the probability 1/C",
        replace=[("    return float(np.log(C))", "    return 1.0 / C")],
        says="Hint: equal scores give every class probability 1/C.",
    ),
    WrongAnswer(
        "softmax_loss_at_init",
        "the SVM answer C - 1",
        replace=[("    return float(np.log(C))", "    return C - 1")],
        says="Hint: equal scores give every class probability 1/C.",
    ),
    WrongAnswer(
        "l1_penalty",
        "squares instead of absolute values",
        replace=[
            (
                "return float(np.abs(W).sum()), np.sign(W)",
                "return float((W * W).sum()), 2 * W",
            )
        ],
        says="Hint: the sum of absolute values, not of squares.",
    ),
    WrongAnswer(
        "l1_penalty",
        "gradient |W| instead of sign(W)",
        replace=[("np.sign(W)", "np.abs(W)")],
        says="Hint: the gradient of |w| is sign(w) (0 at w = 0).",
    ),
    WrongAnswer(
        "elastic_net_penalty",
        "beta on the absolute values",
        replace=[
            ("np.sum(beta * W * W + np.abs(W))", "np.sum(W * W + beta * np.abs(W))"),
            ("2 * beta * W + np.sign(W)", "2 * W + beta * np.sign(W)"),
        ],
        says="Hint: sum(beta * W**2 + |W|): beta weights the squares only.",
    ),
    WrongAnswer(
        "elastic_net_penalty",
        "gradient without the 2",
        replace=[("2 * beta * W + np.sign(W)", "beta * W + np.sign(W)")],
        says="Hint: the gradient is 2 * beta * W + sign(W).",
    ),
    WrongAnswer(
        "LinearClassifier",
        "steps up the gradient",
        replace=[
            (
                "self.W = self.W - learning_rate * dW",
                "self.W = self.W + learning_rate * dW",
            )
        ],
        says="Hint: step against the gradient: W -= learning_rate * dW.",
    ),
    WrongAnswer(
        "LinearClassifier",
        "trains on the whole data set, not mini-batches",
        replace=[
            (
                "loss, dW = self.loss(X[batch], y[batch], reg)",
                "loss, dW = self.loss(X, y, reg)",
            )
        ],
        says="Hint: sample batch_size rows of X for every step.",
    ),
    WrongAnswer(
        "LinearClassifier",
        "predicts the lowest score",
        replace=[
            (
                "return np.argmax(X @ self.W, axis=1)",
                "return np.argmin(X @ self.W, axis=1)",
            )
        ],
        says="Hint: predict the argmax of X @ W along axis 1.",
    ),
    WrongAnswer(
        "LinearClassifier",
        "ignores reg",
        replace=[
            (
                "loss, dW = self.loss(X[batch], y[batch], reg)",
                "loss, dW = self.loss(X[batch], y[batch], 0.0)",
            )
        ],
        says="Hint: pass train's reg on to the loss",
    ),
    WrongAnswer(
        "fit_standardizer",
        "the sample std (divides by N - 1)",
        replace=[("std = X.std(axis=0)", "std = X.std(axis=0, ddof=1)")],
        says="Hint: the population std divides by N (np.std's default, ddof=0)",
    ),
    WrongAnswer(
        "fit_standardizer",
        "leaves a constant feature's std at 0",
        replace=[("return mean, np.where(std == 0, 1.0, std)", "return mean, std")],
        says="Hint: a feature whose std is 0 gets std 1",
    ),
    WrongAnswer(
        "fit_standardizer",
        "statistics per example instead of per feature",
        replace=[
            ("X.mean(axis=0)", "X.mean(axis=1)"),
            ("X.std(axis=0)", "X.std(axis=1)"),
        ],
        says="Hint: one mean per feature: average each column over the rows",
    ),
    WrongAnswer(
        "pca_fit",
        "does not centre the data",
        replace=[("centred = X - mean", "centred = X")],
        says="Hint: these are not the covariance's eigenvectors: centre the data first",
    ),
    WrongAnswer(
        "pca_fit",
        "keeps eigh's increasing order",
        replace=[("vectors[:, ::-1][:, :k].T", "vectors[:, :k].T")],
        says="Hint: sort by decreasing variance and keep the first k",
    ),
    WrongAnswer(
        "pca_fit",
        "no sign rule",
        replace=[
            (
                "return mean, components * np.sign(largest)[:, None]",
                "return mean, -components",
            )
        ],
        says="Hint: the right directions with the wrong sign",
    ),
    WrongAnswer(
        "pca_fit",
        "components as columns",
        replace=[
            (
                "return mean, components * np.sign(largest)[:, None]",
                "return mean, (components * np.sign(largest)[:, None]).T",
            )
        ],
        says="Hint: one component per ROW, shape (k, D)",
    ),
    WrongAnswer(
        "pca_project",
        "forgets to subtract the mean",
        replace=[("return (X - mean) @ components.T", "return X @ components.T")],
        says="Hint: subtract the mean from every row first",
    ),
    WrongAnswer(
        "pca_project",
        "projects the components onto the data",
        replace=[
            ("return (X - mean) @ components.T", "return components @ (X - mean).T")
        ],
        says="Hint: subtract the mean from every row first, then take the dot product",
    ),
    WrongAnswer(
        "log_uniform",
        "a plain uniform draw",
        replace=[
            (
                "return np.exp(rng.uniform(np.log(low), np.log(high), size))",
                "return rng.uniform(low, high, size)",
            )
        ],
        says="Hint: the LOG of the samples is uniform",
    ),
    WrongAnswer(
        "log_uniform",
        "exponentiates the bounds themselves",
        replace=[
            (
                "return np.exp(rng.uniform(np.log(low), np.log(high), size))",
                "return np.exp(rng.uniform(low, high, size))",
            )
        ],
        says="Hint: draw the exponent uniformly between log(low) and log(high)",
    ),
    WrongAnswer(
        "log_uniform",
        "draws from NumPy's global generator",
        replace=[
            (
                "return np.exp(rng.uniform(np.log(low), np.log(high), size))",
                "return np.exp(np.random.uniform(np.log(low), np.log(high), size))",
            )
        ],
        says="Hint: draw from the rng argument, not from np.random's global state",
    ),
    WrongAnswer(
        "LinearClassifier",
        "never draws row 0 (integers from 1)",
        replace=[
            (
                "self.rng.integers(0, num_train, batch_size)",
                "self.rng.integers(1, num_train, batch_size)",
            )
        ],
        says="Hint: draw the rows uniformly from all of X, row 0 to row N - 1",
    ),
    WrongAnswer(
        "coarse_to_fine_search",
        "keeps the worst coarse trials",
        replace=[
            (
                "sorted(trials, key=lambda trial: -trial[1])[:count]",
                "sorted(trials, key=lambda trial: trial[1])[:count]",
            )
        ],
        says="Hint: keep the coarse trials with the HIGHEST scores",
    ),
    WrongAnswer(
        "coarse_to_fine_search",
        "keeps floor(keep * num_coarse) trials, none for a small keep",
        replace=[
            (
                "count = max(1, int(np.ceil(keep * num_coarse)))",
                "count = int(keep * num_coarse)",
            )
        ],
        says="Hint: keep at least one trial",
    ),
    WrongAnswer(
        "coarse_to_fine_search",
        "the last of equal scores wins",
        replace=[
            (
                "return max(trials, key=lambda trial: trial[1])",
                "return max(reversed(trials), key=lambda trial: trial[1])",
            )
        ],
        says="Hint: on a tie keep the earlier trial",
    ),
    WrongAnswer(
        "coarse_to_fine_search",
        "ranks the coarse trials in reverse, so the last of a tie is kept",
        replace=[
            (
                "sorted(trials, key=lambda trial: -trial[1])[:count]",
                "sorted(trials, key=lambda trial: trial[1])[::-1][:count]",
            )
        ],
        says="Hint: among equal scores the earlier trials are kept",
    ),
    WrongAnswer(
        "coarse_to_fine_search",
        "the fine stage searches the full ranges again",
        replace=[("    run(narrowed, num_fine)\n", "    run(ranges, num_fine)\n")],
        says="Hint: narrow each range to the span",
    ),
    WrongAnswer(
        "coarse_to_fine_search",
        "returns the best of the fine stage only",
        replace=[
            (
                "return max(trials, key=lambda trial: trial[1])",
                "return max(trials[num_coarse:], key=lambda trial: trial[1])",
            )
        ],
        says="Hint: the best over BOTH stages",
    ),
    WrongAnswer(
        "random_search",
        "one params dict shared by every trial",
        replace=[
            ("    trials = []\n", "    trials = []\n    params = {}\n"),
            (
                "params = {name: float(log_uniform(rng, low, high, None))\n"
                "                  for name, (low, high) in ranges.items()}",
                "params.update({name: float(log_uniform(rng, low, high, None))\n"
                "                       for name, (low, high) in ranges.items()})",
            ),
        ],
        says="Hint: make a new params dict for each trial",
    ),
    WrongAnswer(
        "random_search",
        "draws uniformly, not on a log scale",
        replace=[
            (
                "float(log_uniform(rng, low, high, None))",
                "float(rng.uniform(low, high))",
            )
        ],
        says="Hint: draw each hyperparameter log-uniformly from its range",
    ),
    WrongAnswer(
        "random_search",
        "keeps the lowest score",
        replace=[
            (
                "best_params, _ = max(trials, key=lambda trial: trial[1])",
                "best_params, _ = min(trials, key=lambda trial: trial[1])",
            )
        ],
        says="Hint: higher is better: keep the trial with the MAXIMUM score.",
    ),
    WrongAnswer(
        "random_search",
        "keeps the last of tied trials",
        replace=[
            (
                "best_params, _ = max(trials, key=lambda trial: trial[1])",
                "best_params, _ = max(reversed(trials), key=lambda trial: trial[1])",
            )
        ],
        says="Hint: the docstring says the first of them on a tie",
    ),
    WrongAnswer(
        "random_search",
        "ignores the seed",
        replace=[
            ("rng = np.random.default_rng(seed)", "rng = np.random.default_rng()")
        ],
        says="Hint: make one generator, np.random.default_rng(seed)",
    ),
    WrongAnswer(
        "kl_divergence",
        "no 0 log 0 convention",
        source="def kl_divergence(p, q):\n"
        "    return np.sum(p * np.log(p / q), axis=1)\n",
        says="Hint: where p is 0 the term is 0",
    ),
    WrongAnswer(
        "kl_divergence",
        "swaps p and q",
        source="def kl_divergence(p, q):\n"
        "    return np.sum(q * np.log(q / p), axis=1)\n",
        says="Hint: KL(p || q) weighs log(p / q) by p: the arguments are swapped.",
    ),
    WrongAnswer(
        "kl_divergence",
        "sums over the whole batch",
        replace=[
            (
                "return np.sum(np.where(positive, p * np.log(ratio), 0.0), axis=1)",
                "return np.sum(np.where(positive, p * np.log(ratio), 0.0))",
            )
        ],
        says="Hint: one divergence per row",
    ),
    WrongAnswer(
        "linear_hparams",
        "LinearClassifier's defaults, untuned",
        replace=[
            ('"learning_rate": 1.0, "reg": 1e-3', '"learning_rate": 1e-3, "reg": 1e-5'),
            ('"num_iters": 1500', '"num_iters": 100'),
        ],
        says="Hint: it underfits (training accuracy",
    ),
    WrongAnswer(
        "linear_hparams",
        "twice the budget of examples",
        replace=[
            (
                '"num_iters": 1500, "batch_size": 200',
                '"num_iters": 3000, "batch_size": 200',
            )
        ],
        says="the budget is 300,000",
    ),
    WrongAnswer(
        "linear_hparams",
        "a learning rate and reg so large that SGD diverges",
        replace=[
            ('"learning_rate": 1.0, "reg": 1e-3', '"learning_rate": 10.0, "reg": 1.0')
        ],
        says="Hint: the run diverged",
    ),
    WrongAnswer(
        "linear_hparams",
        "stops at 300 steps: partial credit only",
        replace=[('"num_iters": 1500', '"num_iters": 300')],
        says="below the full-credit target 0.88",
    ),
    WrongAnswer(
        "linear_hparams",
        "a key named as in other libraries",
        replace=[('"learning_rate": 1.0', '"lr": 1.0')],
        says="missing ['learning_rate']",
    ),
]

_RESTATES = (
    "it restates a rule that the visible test checks first, with the same "
    "hint, for every known mistake; it shows only for an answer that passes "
    "the visible cases and fails these."
)
# (hidden test, the hint's first words) -> why no typical wrong answer shows it.
HINTS_NO_CASE_REACHES = {
    ("test_softmax_loss_naive_hidden", "with large scores exp overflows"): (
        "the visible test has scores in the thousands too, so the log of an "
        "underflowed probability fails there first with the same hint."
    ),
    ("test_softmax_loss_vectorized_hidden", "with large scores exp overflows"): (
        "the visible test has scores in the thousands too, so the log of an "
        "underflowed probability fails there first with the same hint."
    ),
    ("test_LinearClassifier_hidden", "C = max(y) + 1 classes."): (
        "the number of classes is computed in the given part of train, outside the "
        "answer's solution region; only an answer that rewrites that line shows it."
    ),
    ("test_fit_standardizer_hidden", "population std"): _RESTATES,
    ("test_pca_fit_hidden", "orthonormal rows"): _RESTATES,
    ("test_pca_project_hidden", "(X - mean) @ components.T"): _RESTATES,
    ("test_log_uniform_hidden", "exp(rng.uniform"): _RESTATES,
    ("test_random_search_hidden", "keep the trial with the maximum"): _RESTATES,
    ("test_random_search_hidden", "log_uniform(rng, low, high, None)"): _RESTATES,
    ("test_kl_divergence_hidden", "terms where p is 0"): _RESTATES,
}
