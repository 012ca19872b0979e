"""Typical wrong answers for unit 05_regularization; each must lose points in its own
tests only (see wrong_answer.WrongAnswer)."""

from wrong_answer import WrongAnswer

# A backward pass is tested with the cache of the student's own forward pass (the
# cache's contents are the student's choice), so a wrong forward may cost points
# there too; the notebook says so next to those tests.
DEPENDS_ON = {
    "batchnorm_backward": {"batchnorm_forward"},
    "batchnorm_backward_alt": {"batchnorm_forward"},
    "layernorm_backward": {"layernorm_forward"},
    "dropout_backward": {"dropout_forward"},
}

CASES = [
    WrongAnswer(
        "layernorm_forward",
        "returns no cache",
        replace=[("    cache = (x_hat, std, gamma)\n", "    cache = None\n")],
        says="Hint: return the cache built from this call's values",
    ),
    WrongAnswer(
        "batchnorm_forward",
        "returns no cache in train mode",
        replace=[("        cache = (xc, std, x_hat, gamma)\n", "")],
        says="Hint: in train mode return the cache your batchnorm_backward needs",
    ),
    WrongAnswer(
        "FullyConnectedNet",
        "one bn_param shared by every hidden layer",
        replace=[("self.bn_params[i - 1])", "self.bn_params[0])")],
        says="Hint: hidden layer i uses self.bn_params[i - 1]",
    ),
    WrongAnswer(
        "FullyConnectedNet",
        "uniform weights in [0, weight_scale)",
        replace=[
            (
                "W = weight_scale * rng.standard_normal((dims[i - 1], dims[i]))",
                "W = weight_scale * rng.random((dims[i - 1], dims[i]))",
            )
        ],
        says="Hint: W = weight_scale * rng.standard_normal((fan_in, fan_out))",
    ),
    WrongAnswer(
        "FullyConnectedNet",
        "no seed for dropout: masks that no seed reproduces",
        replace=[
            (
                'self.dropout_param["seed"] = int(self.dropout_rng.integers(2**31))',
                "pass",
            )
        ],
        says="Hint: give each dropout call a fresh seed drawn from a generator",
    ),
    WrongAnswer(
        "batchnorm_forward",
        "uses the batch statistics at test time",
        replace=[
            (
                "out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta",
                "out = gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) "
                "+ beta",
            )
        ],
        says="Hint: in 'test' mode normalise with bn_param's running_mean and",
    ),
    WrongAnswer(
        "batchnorm_forward",
        "running averages with the weights swapped",
        replace=[
            (
                "running_mean = momentum * running_mean + (1 - momentum) * mu",
                "running_mean = (1 - momentum) * running_mean + momentum * mu",
            ),
            (
                "running_var = momentum * running_var + (1 - momentum) * var",
                "running_var = (1 - momentum) * running_var + momentum * var",
            ),
        ],
        says="Hint: running = momentum * running + (1 - momentum) * batch, with",
    ),
    WrongAnswer(
        "batchnorm_forward",
        "never updates the running averages",
        replace=[
            (
                "        running_mean = momentum * running_mean + (1 - momentum) * mu\n"
                "        running_var = momentum * running_var + (1 - momentum) * var\n",
                "",
            )
        ],
        says="Hint: running = momentum * running + (1 - momentum) * batch, with",
    ),
    WrongAnswer(
        "batchnorm_forward",
        "forgets beta",
        replace=[("out = gamma * x_hat + beta", "out = gamma * x_hat")],
        says="Hint: the means are 0, not beta",
    ),
    WrongAnswer(
        "batchnorm_backward",
        "treats the batch mean and variance as constants",
        replace=[
            ("    dxc += 2 * xc * dvar / N\n", ""),
            ("dx = dxc + dmu / N", "dx = dxc"),
        ],
        says="Hint: x reaches the output directly, through the mean and through",
    ),
    WrongAnswer(
        "batchnorm_backward",
        "dgamma without x_hat",
        replace=[("dgamma = (dout * x_hat).sum(axis=0)", "dgamma = dout.sum(axis=0)")],
        says="Hint: dgamma = sum over the batch of dout * x_hat.",
    ),
    WrongAnswer(
        "batchnorm_backward",
        "averages dbeta over the batch",
        replace=[("dbeta = dout.sum(axis=0)", "dbeta = dout.mean(axis=0)")],
        says="Hint: dbeta = sum of dout over the batch axis.",
    ),
    WrongAnswer(
        "batchnorm_backward_alt",
        "calls batchnorm_backward",
        source="def batchnorm_backward_alt(dout, cache):\n"
        "    return batchnorm_backward(dout, cache)\n",
        says="Hint: an answer that hands its work to a library or to the",
    ),
    WrongAnswer(
        "batchnorm_backward_alt",
        "drops the x_hat * mean(g * x_hat) term",
        replace=[
            (
                "dx = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std",
                "dx = (g - g.mean(axis=0)) / std",
            )
        ],
        says="Hint: dx = (g - mean(g) - x_hat * mean(g * x_hat)) / std with g =",
    ),
    WrongAnswer(
        "batchnorm_backward_alt",
        "forgets gamma",
        replace=[("g = dout * gamma", "g = dout")],
        says="Hint: dx = (g - mean(g) - x_hat * mean(g * x_hat)) / std with g =",
    ),
    WrongAnswer(
        "layernorm_forward",
        "forgets beta",
        replace=[("out = gamma * x_hat + beta", "out = gamma * x_hat")],
        says="Hint: out = gamma * x_hat + beta; gamma and beta have shape (D,).",
    ),
    WrongAnswer(
        "layernorm_forward",
        "returns x_hat without gamma and beta",
        replace=[("out = gamma * x_hat + beta", "out = x_hat")],
        says="Hint: out = gamma * x_hat + beta; gamma and beta have shape (D,).",
    ),
    WrongAnswer(
        "layernorm_backward",
        "means over the batch axis, as in batch norm",
        replace=[
            (
                "dx = (g - g.mean(axis=1, keepdims=True)\n"
                "          - x_hat * (g * x_hat).mean(axis=1, keepdims=True)) / std",
                "dx = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std",
            )
        ],
        says="Hint: as batch norm's backward, but the means are over axis=1.",
    ),
    WrongAnswer(
        "layernorm_backward",
        "dgamma summed over the features instead of the batch",
        replace=[
            (
                "dgamma = (dout * x_hat).sum(axis=0)",
                "dgamma = (dout * x_hat).sum(axis=1)",
            )
        ],
        says="Hint: gamma is shared by all rows: sum over axis 0.",
    ),
    WrongAnswer(
        "dropout_forward",
        "forgets to rescale by 1/p",
        replace=[
            ("mask = (rng.random(x.shape) < p) / p", "mask = rng.random(x.shape) < p")
        ],
        says="Hint: inverted dropout divides the kept units by p.",
    ),
    WrongAnswer(
        "dropout_forward",
        "drops with probability p instead of keeping",
        replace=[
            (
                "mask = (rng.random(x.shape) < p) / p",
                "mask = (rng.random(x.shape) >= p) / p",
            )
        ],
        says="Hint: p is the probability of KEEPING a unit: keep where",
    ),
    WrongAnswer(
        "dropout_forward",
        "still drops at test time",
        replace=[
            (
                "    else:\n        out = x\n",
                "    else:\n"
                "        rng = np.random.default_rng(dropout_param.get('seed'))\n"
                "        out = x * (rng.random(x.shape) < p) / p\n",
            )
        ],
        says="Hint: at test time inverted dropout does nothing at all.",
    ),
    WrongAnswer(
        "dropout_forward",
        "ignores the seed",
        replace=[
            (
                'rng = np.random.default_rng(dropout_param.get("seed"))',
                "rng = np.random.default_rng()",
            )
        ],
        says="Hint: draw the mask from",
    ),
    WrongAnswer(
        "dropout_backward",
        "draws a new mask",
        replace=[
            (
                "        return dout * mask\n",
                "        rng = np.random.default_rng()\n"
                "        return dout * (rng.random(dout.shape) < dropout_param['p'])"
                " / dropout_param['p']\n",
            )
        ],
        says="Hint: multiply dout by the same mask (including the 1/p) that the",
    ),
    WrongAnswer(
        "dropout_backward",
        "forgets the 1/p scaling",
        replace=[
            ("        return dout * mask\n", "        return dout * (mask != 0)\n")
        ],
        says="Hint: multiply dout by the same mask (including the 1/p) that the",
    ),
    WrongAnswer(
        "FullyConnectedNet",
        "regularises gamma and beta too",
        replace=[
            (
                "        for i in range(1, L + 1):\n"
                '            loss += self.reg * np.sum(p[f"W{i}"] ** 2)\n'
                '            grads[f"W{i}"] += 2 * self.reg * p[f"W{i}"]\n',
                "        for key in p:\n"
                '            if key.startswith("b"):\n'
                "                continue\n"
                "            loss += self.reg * np.sum(p[key] ** 2)\n"
                "            grads[key] += 2 * self.reg * p[key]\n",
            )
        ],
        says="CheckFailed: FullyConnectedNet([7, 6, 5], batchnorm) loss:",
    ),
    WrongAnswer(
        "FullyConnectedNet",
        "normalises after the ReLU",
        replace=[
            (
                "            norm_cache = drop_cache = None\n",
                "            norm_cache = drop_cache = None\n"
                "            out, relu_cache = layers.relu_forward(out)\n",
            ),
            (
                "            out, relu_cache = layers.relu_forward(out)\n"
                "            if self.use_dropout:",
                "            if self.use_dropout:",
            ),
            (
                "            dout = layers.relu_backward(dout, relu_cache)\n",
                "",
            ),
            (
                '            dout, grads[f"W{i}"], grads[f"b{i}"] = '
                "layers.affine_backward(",
                "            dout = layers.relu_backward(dout, relu_cache)\n"
                '            dout, grads[f"W{i}"], grads[f"b{i}"] = '
                "layers.affine_backward(",
            ),
        ],
        says="Hint: each hidden layer is affine, batch norm, ReLU",
    ),
    WrongAnswer(
        "FullyConnectedNet",
        "keeps using dropout at test time",
        replace=[
            (
                '        self.dropout_param["mode"] = mode\n',
                '        self.dropout_param["mode"] = "train"\n',
            )
        ],
        says="Hint: without y: batch norm in 'test' mode with its running",
    ),
    WrongAnswer(
        "FullyConnectedNet",
        "one bn_param shared by every layer",
        replace=[("self.bn_params[i - 1])", "self.bn_params[0])")],
        says="ValueError: operands could not be broadcast",
    ),
    WrongAnswer(
        "EarlyStopping",
        "starts best_metric at 0",
        replace=[("self.best_metric = -np.inf", "self.best_metric = 0.0")],
        says="Hint: best_metric starts at -inf (-np.inf)",
    ),
    WrongAnswer(
        "EarlyStopping",
        "a tie counts as an improvement",
        replace=[
            (
                "if metric > self.best_metric + self.min_delta:",
                "if metric >= self.best_metric + self.min_delta:",
            )
        ],
        says="Hint: an epoch improves only when metric > best_metric + min_delta",
    ),
    WrongAnswer(
        "EarlyStopping",
        "stops one epoch late (count > patience)",
        replace=[
            (
                "return self.bad_epochs >= self.patience",
                "return self.bad_epochs > self.patience",
            )
        ],
        says="Hint: return True once the count of bad epochs reaches patience",
    ),
    WrongAnswer(
        "EarlyStopping",
        "never resets the count after an improvement",
        replace=[
            (
                "self.best_metric, self.best_epoch, self.bad_epochs = metric, epoch, 0",
                "self.best_metric, self.best_epoch = metric, epoch",
            )
        ],
        says="Hint: an improvement sets the count of bad epochs back to 0.",
    ),
    WrongAnswer(
        "EarlyStopping",
        "ignores min_delta",
        replace=[
            (
                "if metric > self.best_metric + self.min_delta:",
                "if metric > self.best_metric:",
            )
        ],
        says="Hint: with min_delta, an epoch improves only when",
    ),
    WrongAnswer(
        "EarlyStopping",
        "a default patience of 3",
        replace=[
            (
                "def __init__(self, patience=5, min_delta=0.0):",
                "def __init__(self, patience=3, min_delta=0.0):",
            )
        ],
        says="Hint: the defaults are patience=5, min_delta=0.0.",
    ),
    WrongAnswer(
        "fc_hparams",
        "the plain starting point, untuned",
        replace=[
            (
                '{"hidden_dims": [256, 256], "normalization": "batchnorm",\n'
                '              "dropout_keep_ratio": 0.8, "learning_rate": 1e-3,',
                '{"hidden_dims": [100, 100], "normalization": None,\n'
                '              "dropout_keep_ratio": 1.0, "learning_rate": 1e-2,',
            ),
            ('"update_rule": "adam"', '"update_rule": "sgd"'),
        ],
        says="Hint: it barely learned",
    ),
    WrongAnswer(
        "fc_hparams",
        "layers too wide for the budget",
        replace=[('"hidden_dims": [256, 256]', '"hidden_dims": [1024, 512]')],
        says="the budget is 420,000",
    ),
    WrongAnswer(
        "fc_hparams",
        "five epochs of Adam without normalisation: partial credit only",
        replace=[
            (
                '{"hidden_dims": [256, 256], "normalization": "batchnorm",\n'
                '              "dropout_keep_ratio": 0.8,',
                '{"hidden_dims": [100, 100], "normalization": None,\n'
                '              "dropout_keep_ratio": 1.0,',
            ),
            ('"num_epochs": 10', '"num_epochs": 5'),
        ],
        says="below the full-credit target 0.92",
    ),
    WrongAnswer(
        "fc_hparams",
        "plain SGD with a huge step and weights: diverges",
        replace=[
            ('"normalization": "batchnorm"', '"normalization": None'),
            ('"learning_rate": 1e-3', '"learning_rate": 1.0'),
            ('"weight_scale": 1e-2', '"weight_scale": 1.0'),
            ('"update_rule": "adam"', '"update_rule": "sgd"'),
        ],
        says="Hint: the run diverged",
    ),
    WrongAnswer(
        "fc_hparams",
        "a normalisation name the network does not know",
        replace=[('"normalization": "batchnorm"', '"normalization": "batch"')],
        says="['normalization'] must be one of",
    ),
]

# (hidden test, the hint's first words) -> why no typical wrong answer shows it.
HINTS_NO_CASE_REACHES = {
    ("test_FullyConnectedNet_hidden", "dropout_keep_ratio=1 must mean"): (
        "the test plugs in the reference dropout, which is the identity at keep "
        "ratio 1; only a network that draws random numbers of its own shows it."
    ),
    ("test_FullyConnectedNet_hidden", "without y the network is in test mode"): (
        "the given part of loss() sets the test mode and the test plugs in the "
        "reference dropout; only a network with a dropout of its own shows it."
    ),
    ("test_EarlyStopping_hidden", "return True as soon as the count of bad epochs"): (
        "a counting mistake (stopping one epoch early or late) fails the visible "
        "scenarios first; this hint speaks to an answer that passes them with "
        "patience=2 and still counts wrong with the default 5."
    ),
    ("test_EarlyStopping_hidden", "it stops too early"): (
        "every typical rule mistake fails the visible hand-made curves first; the "
        "noisy curve names the first epoch that differs for answers that pass them."
    ),
    ("test_EarlyStopping_hidden", "it stops too late"): (
        "as above: the visible curves catch the typical mistakes first."
    ),
}
