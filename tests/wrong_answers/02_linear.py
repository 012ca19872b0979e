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
]
