"""Typical wrong answers for unit 03_optimization; each must lose points in its own
tests only (see wrong_answer.WrongAnswer)."""

from wrong_answer import WrongAnswer

CASES = [
    WrongAnswer(
        "numerical_gradient",
        "forward difference",
        replace=[
            (
                "        x[ix] = old - h\n        f_minus = f(x)\n",
                "        f_minus = None\n",
            ),
            (
                "        x[ix] = old\n        grad[ix] = (f_plus - f_minus) / (2 * h)",
                "        x[ix] = old\n        grad[ix] = (f_plus - f(x)) / h",
            ),
        ],
        says="Hint: use the centred difference (f(x+h) - f(x-h)) / (2h); the",
    ),
    WrongAnswer(
        "numerical_gradient",
        "divides by h instead of 2h",
        replace=[("/ (2 * h)", "/ h")],
        says="Hint: twice the gradient",
    ),
    WrongAnswer(
        "numerical_gradient",
        "leaves x nudged by -h",
        replace=[("        x[ix] = old\n        grad", "        grad")],
        says="Hint: restore each element",
    ),
    WrongAnswer(
        "numerical_gradient",
        "ignores the h argument",
        replace=[
            (
                "    for ix in np.ndindex(x.shape):",
                "    h = 1e-5\n    for ix in np.ndindex(x.shape):",
            )
        ],
        says="Hint: use the h argument, not a fixed step.",
    ),
    WrongAnswer(
        "sgd",
        "steps up the gradient",
        replace=[
            ('w - config["learning_rate"] * dw', 'w + config["learning_rate"] * dw')
        ],
        says="Hint: step against the gradient: w - learning_rate * dw.",
    ),
    WrongAnswer(
        "sgd",
        "ignores the configured learning rate",
        replace=[('w - config["learning_rate"] * dw', "w - 1e-2 * dw")],
        says="Hint: step against the gradient: w - learning_rate * dw.",
    ),
    WrongAnswer(
        "sgd_momentum",
        "forgets the velocity between calls",
        replace=[('    config["velocity"] = v\n', "")],
        says="Hint: v = momentum * v - learning_rate * dw, then w + v; keep v",
    ),
    WrongAnswer(
        "sgd_momentum",
        "adds the gradient instead of subtracting it",
        replace=[
            (
                'v = config["momentum"] * v - config["learning_rate"] * dw',
                'v = config["momentum"] * v + config["learning_rate"] * dw',
            )
        ],
        says="Hint: v = momentum * v - learning_rate * dw, then w + v; keep v",
    ),
    WrongAnswer(
        "sgd_momentum",
        "defaults momentum to 0.5",
        replace=[
            ('config.setdefault("momentum", 0.9)', 'config.setdefault("momentum", 0.5)')
        ],
        says="CheckFailed: default momentum:",
    ),
    WrongAnswer(
        "momentum_trajectory",
        "copies the lecture's table",
        source="momentum_trajectory = np.array([4.0, 2.3, 0.24, -1.67, -3.06, -3.9])\n",
        says="Hint: the lecture's table slips at its third row; compute the",
    ),
    WrongAnswer(
        "momentum_trajectory",
        "includes the start x_0",
        replace=[
            (
                "    positions.append(x)\nmomentum_trajectory",
                "    positions.append(x)\npositions = [5.0] + positions[:5]"
                "\nmomentum_trajectory",
            )
        ],
        says="CheckFailed: momentum_trajectory[0] (x after the first update):",
    ),
    WrongAnswer(
        "momentum_trajectory",
        "plain gradient descent instead of momentum",
        replace=[("    v = 0.9 * v - 0.1 * (2 * x)", "    v = -0.1 * (2 * x)")],
        says="Hint: these are gradient descent's positions",
    ),
    WrongAnswer(
        "nesterov",
        "plain momentum step",
        replace=[
            (
                'next_w = w + config["momentum"] * v - config["learning_rate"] * dw',
                "next_w = w + v",
            )
        ],
        says="Hint: after updating v, step by momentum * v - learning_rate * dw",
    ),
    WrongAnswer(
        "nesterov",
        "forgets the velocity between calls",
        replace=[('    config["velocity"] = v\n', "")],
        says="Hint: the first step is right",
    ),
    WrongAnswer(
        "adagrad",
        "keeps only the latest squared gradient",
        replace=[("cache = cache + dw * dw", "cache = dw * dw")],
        says="Hint: the cache is a running SUM of dw**2 kept in",
    ),
    WrongAnswer(
        "adagrad",
        "divides by the cache without a square root",
        replace=[
            ('(np.sqrt(cache) + config["epsilon"])', '(cache + config["epsilon"])')
        ],
        says="Hint: the cache is a running SUM of dw**2 kept in",
    ),
    WrongAnswer(
        "rmsprop",
        "the lecture notes' update",
        replace=[
            (
                "cache = decay * cache + (1 - decay) * dw * dw",
                "cache += decay * cache + (1 - decay * dw ** 2)",
            )
        ],
        says="Hint: cache = decay_rate * cache + (1 - decay_rate) * dw**2 (a",
    ),
    WrongAnswer(
        "rmsprop",
        "swaps decay and 1 - decay",
        replace=[
            (
                "cache = decay * cache + (1 - decay) * dw * dw",
                "cache = (1 - decay) * cache + decay * dw * dw",
            )
        ],
        says="Hint: cache = decay_rate * cache + (1 - decay_rate) * dw**2 (a",
    ),
    WrongAnswer(
        "adam",
        "no bias correction",
        replace=[
            ('m_hat = config["m"] / (1 - beta1 ** config["t"])', 'm_hat = config["m"]'),
            ('v_hat = config["v"] / (1 - beta2 ** config["t"])', 'v_hat = config["v"]'),
        ],
        says="Hint: increment t first, then update m and v, then divide each by",
    ),
    WrongAnswer(
        "adam",
        "resets the step counter to 1 on every call",
        replace=[('    config["t"] += 1\n', '    config["t"] = 1\n')],
        says="Hint: increment t first, then update m and v, then divide each by",
    ),
    WrongAnswer(
        "adamw",
        "L2 penalty in the gradient instead of decoupled decay",
        replace=[
            (
                "    next_w, config = adam(w, dw, config)\n    next_w = next_w - decay",
                '    next_w, config = adam(w, dw + config["weight_decay"] * w, config)',
            )
        ],
        says="Hint: take Adam's step, then subtract learning_rate *",
    ),
    WrongAnswer(
        "adamw",
        "forgets the weight decay",
        replace=[("    next_w = next_w - decay\n", "")],
        says="Hint: take Adam's step, then subtract learning_rate *",
    ),
    WrongAnswer(
        "step_decay",
        "no floor: decays smoothly",
        replace=[("step // step_size", "step / step_size")],
        says="Hint: the rate stays constant within each block of step_size",
    ),
    WrongAnswer(
        "step_decay",
        "counts blocks from 1",
        replace=[("step // step_size", "(step // step_size + 1)")],
        says="Hint: step 0 is in the first block",
    ),
    WrongAnswer(
        "exponential_decay",
        "wrong sign in the exponent",
        replace=[("np.exp(-k * step)", "np.exp(k * step)")],
        says="CheckFailed: exponential_decay(1, 0.1, 0.2):",
    ),
    WrongAnswer(
        "exponential_decay",
        "lr0 * k ** step",
        replace=[("np.exp(-k * step)", "k**step")],
        says="CheckFailed: exponential_decay(1, 0.1, 0.2):",
    ),
    WrongAnswer(
        "inverse_time_decay",
        "drops the 1 + (divides by zero at step 0)",
        replace=[("lr0 / (1 + k * step)", "lr0 / (k * step)")],
        says="ZeroDivisionError",
    ),
    WrongAnswer(
        "inverse_time_decay",
        "lr0 / (1 + k) * step",
        replace=[("lr0 / (1 + k * step)", "lr0 / (1 + k) * step")],
        says="CheckFailed: inverse_time_decay(0, 0.1, 0.25):",
    ),
    WrongAnswer(
        "cosine_annealing",
        "forgets the factor 1/2",
        replace=[("lr_min + 0.5 * (lr_max - lr_min)", "lr_min + (lr_max - lr_min)")],
        says="Hint: lr_min + 0.5 * (lr_max - lr_min) * (1 + cos(pi * step /",
    ),
    WrongAnswer(
        "cosine_annealing",
        "keeps going after total_steps",
        replace=[
            (
                "progress = min(step, total_steps) / total_steps",
                "progress = step / total_steps",
            )
        ],
        says="Hint: after total_steps the rate stays at lr_min.",
    ),
    WrongAnswer(
        "linear_warmup",
        "no cap at lr0",
        replace=[("lr0 * min(1.0, step / warmup_steps)", "lr0 * step / warmup_steps")],
        says="Hint: the ramp stops at lr0: min(1, step / warmup_steps).",
    ),
    WrongAnswer(
        "linear_warmup",
        "starts the ramp at step 1",
        replace=[("step / warmup_steps", "(step + 1) / warmup_steps")],
        says="Hint: the ramp rises from 0",
    ),
    WrongAnswer(
        "noam_schedule",
        "forgets d_model ** -0.5",
        replace=[("d_model**-0.5 * min", "min")],
        says="Hint: d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5).",
    ),
    WrongAnswer(
        "noam_schedule",
        "max instead of min",
        replace=[("* min(", "* max(")],
        says="Hint: d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5).",
    ),
    WrongAnswer(
        "adam",
        "no epsilon in the denominator",
        replace=[
            (
                'm_hat / (np.sqrt(v_hat) + config["epsilon"])',
                "m_hat / np.sqrt(v_hat)",
            )
        ],
        says="Hint: where the gradient has always been 0, m_hat and v_hat are 0",
    ),
    WrongAnswer(
        "PlateauScheduler",
        "also cuts by exactly 1e-8",
        replace=[("if self.lr - lower > 1e-8:", "if self.lr - lower >= 1e-8:")],
        says="Hint: a cut that lowers the rate by 1e-8 or less is skipped",
    ),
    WrongAnswer(
        "PlateauScheduler",
        "compares the new rate, not the cut, with 1e-8",
        replace=[("if self.lr - lower > 1e-8:", "if lower > 1e-8:")],
        says="Hint: compare the size of the cut, lr - new_lr, with 1e-8",
    ),
    WrongAnswer(
        "linear_decay",
        "goes on below 0 after total_steps",
        replace=[("    if step >= total_steps:\n        return 0.0\n", "")],
        says="Hint: from total_steps on the rate stays 0",
    ),
    WrongAnswer(
        "linear_decay",
        "one step ahead: starts below lr0",
        replace=[
            (
                "return lr0 * (1 - step / total_steps)",
                "return lr0 * (1 - (step + 1) / total_steps)",
            )
        ],
        says="Hint: a straight line: lr0 at step 0",
    ),
    WrongAnswer(
        "robbins_monro",
        "a constant rate for ever counts as converging",
        replace=[('"linear_warmup": False,', '"linear_warmup": True,')],
        says="Hint: after the ramp the rate is lr0 for ever",
    ),
    WrongAnswer(
        "robbins_monro",
        "Noam's 1/sqrt(t) decay counts as converging",
        replace=[('"noam_schedule": False,', '"noam_schedule": True,')],
        says="Hint: Noam's rate falls like t^(-1/2)",
    ),
    WrongAnswer(
        "robbins_monro",
        "the 1/t decay counts as not converging",
        replace=[('"inverse_time_decay": True,', '"inverse_time_decay": False,')],
        says="Hint: lr0 / (1 + k t) falls like 1/t",
    ),
    WrongAnswer(
        "newton_step",
        "inverts the Hessian",
        replace=[
            (
                "return w - np.linalg.solve(hess, grad)",
                "return w - np.linalg.inv(hess) @ grad",
            )
        ],
        says="Hint: solve H d = grad with np.linalg.solve(hess, grad)",
    ),
    WrongAnswer(
        "newton_step",
        "steps the wrong way (adds H^-1 grad)",
        replace=[
            (
                "return w - np.linalg.solve(hess, grad)",
                "return w + np.linalg.solve(hess, grad)",
            )
        ],
        says="Hint: the step goes the wrong way",
    ),
    WrongAnswer(
        "sgdr_schedule",
        "never restarts: one cosine over cycle_len, then lr_min",
        replace=[
            (
                "    while step >= length:  # skip the cycles already finished\n"
                "        step -= length\n"
                "        length *= mult\n",
                "    step = min(step, length)\n",
            )
        ],
        says="Hint: at step cycle_len the rate starts again from lr_max",
    ),
    WrongAnswer(
        "sgdr_schedule",
        "cycles that do not grow (mult ignored)",
        replace=[("        length *= mult\n", "")],
        says="Hint: each cycle is mult times longer than the one before",
    ),
    WrongAnswer(
        "sgdr_schedule",
        "a closed form for the cycle with log base mult (divides by 0 at mult=1)",
        replace=[
            (
                "    length = cycle_len\n"
                "    while step >= length:  # skip the cycles already finished\n"
                "        step -= length\n"
                "        length *= mult\n",
                "    import math\n"
                "    cycle = int(math.log(step / cycle_len * (mult - 1) + 1, mult))\n"
                "    length = cycle_len * mult**cycle\n"
                "    step -= cycle_len * (mult**cycle - 1) // (mult - 1)\n",
            )
        ],
        says="Hint: with mult=1 every cycle lasts cycle_len steps",
    ),
    WrongAnswer(
        "sgdr_schedule",
        "a full cosine period per cycle (2 pi instead of pi)",
        replace=[
            ("np.cos(np.pi * step / length)", "np.cos(2 * np.pi * step / length)")
        ],
        says="Hint: lr_min + 0.5 * (lr_max - lr_min) * (1 + cos(pi * t / T_i))",
    ),
    WrongAnswer(
        "PlateauScheduler",
        "cuts after patience bad steps, not more than patience",
        replace=[
            (
                "if self.bad_steps > self.patience:",
                "if self.bad_steps >= self.patience:",
            )
        ],
        says="Hint: cut when the count of bad steps is larger than patience",
    ),
    WrongAnswer(
        "PlateauScheduler",
        "any decrease counts as an improvement (no threshold)",
        replace=[("metric < self.best * (1 - self.threshold)", "metric < self.best")],
        says="Hint: a step improves only when metric < best * (1 - threshold)",
    ),
    WrongAnswer(
        "PlateauScheduler",
        "keeps counting after a cut",
        replace=[
            (
                "self.cooldown_left, self.bad_steps = self.cooldown, 0",
                "self.cooldown_left = self.cooldown",
            )
        ],
        says="Hint: after a cut the count of bad steps starts again from 0",
    ),
    WrongAnswer(
        "PlateauScheduler",
        "ignores the cooldown",
        replace=[
            (
                "        if self.cooldown_left > 0:\n"
                "            self.cooldown_left -= 1\n"
                "            self.bad_steps = 0\n",
                "",
            )
        ],
        says="Hint: for cooldown steps after a cut, set the count of bad steps back",
    ),
]
