"""Reference update rules and learning-rate schedules (used by the solver and the
explorers; graded answers may not call them).

Every update rule has the signature

    rule(w, dw, config=None) -> (next_w, config)

``w`` and ``dw`` are arrays of the same shape; ``w`` is not modified. ``config`` is
a dict holding the hyperparameters and the rule's state (velocity, caches, step
count); missing keys get the defaults below, and the same dict must be passed back
on the next call.

Schedules map a step number to a learning rate. Steps count from 0, except for
``noam_schedule`` whose steps count from 1 (as in Vaswani et al., 2017).
"""

from __future__ import annotations

import math

import numpy as np


def _config(config: dict | None, **defaults) -> dict:
    config = {} if config is None else config
    for key, value in defaults.items():
        config.setdefault(key, value)
    return config


def _state(config: dict, key: str, w):
    """The rule's state ``config[key]``, zeros shaped like w on the first call."""
    value = config.get(key)
    return np.zeros_like(w) if value is None else value


def _velocity(w, dw, config: dict):
    """Momentum's velocity update, stored back in config; returns the new v."""
    v = config["momentum"] * _state(config, "velocity", w)
    config["velocity"] = v - config["learning_rate"] * dw
    return config["velocity"]


def sgd(w, dw, config=None):
    """Plain gradient descent: w - learning_rate * dw."""
    config = _config(config, learning_rate=1e-2)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    """Momentum: v = momentum * v - learning_rate * dw; w + v."""
    config = _config(config, learning_rate=1e-2, momentum=0.9)
    return w + _velocity(w, dw, config), config


def nesterov(w, dw, config=None):
    """Nesterov momentum: v as in momentum; w + momentum * v - learning_rate * dw."""
    config = _config(config, learning_rate=1e-2, momentum=0.9)
    v = _velocity(w, dw, config)
    return w + config["momentum"] * v - config["learning_rate"] * dw, config


def adagrad(w, dw, config=None):
    """Adagrad: cache += dw**2; w - learning_rate * dw / (sqrt(cache) + epsilon)."""
    config = _config(config, learning_rate=1e-2, epsilon=1e-8)
    cache = _state(config, "cache", w) + dw * dw
    config["cache"] = cache
    step = config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return w - step, config


def rmsprop(w, dw, config=None):
    """RMSProp: a leaky average of dw**2 in place of Adagrad's sum."""
    config = _config(config, learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8)
    decay = config["decay_rate"]
    cache = decay * _state(config, "cache", w) + (1 - decay) * dw * dw
    config["cache"] = cache
    step = config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return w - step, config


def _adam_step(w, dw, config) -> np.ndarray:
    """Advance Adam's moments in ``config``; return the step to subtract from w."""
    m, v = _state(config, "m", w), _state(config, "v", w)
    config["t"] += 1
    beta1, beta2, t = config["beta1"], config["beta2"], config["t"]
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw * dw
    config["m"], config["v"] = m, v
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])


_ADAM_DEFAULTS = dict(learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, t=0)


def adam(w, dw, config=None):
    """Adam: momentum on dw and RMSProp on dw**2, both bias-corrected."""
    config = _config(config, **_ADAM_DEFAULTS)
    return w - _adam_step(w, dw, config), config


def adamw(w, dw, config=None):
    """AdamW: Adam's step plus decoupled weight decay, - learning_rate * wd * w."""
    config = _config(config, **_ADAM_DEFAULTS, weight_decay=1e-2)
    decay = config["learning_rate"] * config["weight_decay"] * w
    return w - _adam_step(w, dw, config) - decay, config


RULES = {
    "sgd": sgd,
    "sgd_momentum": sgd_momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamw": adamw,
}


def update_params(params: dict, grads: dict, rule, configs: dict) -> None:
    """One step of ``rule`` for every parameter, in place: ``params[k]`` and
    ``configs[k]`` become the rule's new value and state (the training loop of
    ``lib.solver`` and of ``lib.char_rnn`` both step this way)."""
    for name, grad in grads.items():
        params[name], configs[name] = rule(params[name], grad, configs[name])


def step_decay(step, lr0, step_size, gamma):
    """lr0 * gamma ** floor(step / step_size)."""
    return lr0 * gamma ** (step // step_size)


def exponential_decay(step, lr0, k):
    """lr0 * exp(-k * step)."""
    return lr0 * math.exp(-k * step)


def inverse_time_decay(step, lr0, k):
    """lr0 / (1 + k * step)."""
    return lr0 / (1 + k * step)


def cosine_annealing(step, lr_max, total_steps, lr_min=0.0):
    """Half a cosine from lr_max (step 0) to lr_min (step total_steps), then lr_min."""
    progress = min(step, total_steps) / total_steps
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * progress))


def linear_warmup(step, lr0, warmup_steps):
    """lr0 * min(1, step / warmup_steps): a ramp from 0, then constant."""
    return lr0 * min(1.0, step / warmup_steps)


def noam_schedule(step, d_model, warmup_steps):
    """d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5), steps from 1."""
    if step < 1:
        raise ValueError(f"noam_schedule counts steps from 1, got step={step}.")
    return d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5)


def newton_step(w, grad, hess):
    """One Newton step, w - H^-1 grad, with H^-1 grad found by solving H d = grad
    (never by forming the inverse: solving is cheaper and more accurate)."""
    return w - np.linalg.solve(hess, grad)


def linear_decay(step, lr0, total_steps):
    """lr0 * (1 - step / total_steps), a straight line from lr0 at step 0 to 0 at
    total_steps, and 0 from there on (PyTorch's PolynomialLR with power 1)."""
    return lr0 * max(0.0, 1.0 - step / total_steps)


def sgdr_schedule(step, lr_max, cycle_len, mult=1, lr_min=0.0):
    """Cosine annealing with warm restarts (SGDR): a cosine from lr_max down to
    lr_min over each cycle, then a restart at lr_max. The first cycle lasts
    cycle_len steps and each later one ``mult`` times the one before (PyTorch's
    CosineAnnealingWarmRestarts with T_0 = cycle_len, T_mult = mult)."""
    length = cycle_len
    while step >= length:  # whole cycles behind us
        step -= length
        length *= mult
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * step / length))


class PlateauScheduler:
    """Cut the learning rate by ``factor`` when the metric (lower is better) has
    not improved for more than ``patience`` steps: PyTorch's ReduceLROnPlateau in
    'min' mode with a relative threshold. A step improves when ``metric <
    best * (1 - threshold)``. After a cut, ``cooldown`` steps pass in which bad
    steps are not counted; the rate never goes below ``min_lr``, and a cut smaller
    than 1e-8 is skipped."""

    def __init__(
        self, lr0, factor=0.1, patience=10, threshold=1e-4, cooldown=0, min_lr=0.0
    ):
        self.lr, self.factor, self.patience = lr0, factor, patience
        self.threshold, self.cooldown, self.min_lr = threshold, cooldown, min_lr
        self.best = math.inf
        self.bad_steps = 0
        self.cooldown_left = 0

    def step(self, metric):
        """Record one value of the metric; the learning rate to use next."""
        metric = float(metric)
        if metric < self.best * (1 - self.threshold):
            self.best, self.bad_steps = metric, 0
        else:
            self.bad_steps += 1
        if self.cooldown_left > 0:
            self.cooldown_left -= 1
            self.bad_steps = 0
        if self.bad_steps > self.patience:
            lower = max(self.lr * self.factor, self.min_lr)
            if self.lr - lower > 1e-8:
                self.lr = lower
            self.cooldown_left, self.bad_steps = self.cooldown, 0
        return self.lr


SCHEDULES = {
    "step_decay": step_decay,
    "exponential_decay": exponential_decay,
    "inverse_time_decay": inverse_time_decay,
    "cosine_annealing": cosine_annealing,
    "linear_warmup": linear_warmup,
    "noam_schedule": noam_schedule,
    "sgdr_schedule": sgdr_schedule,
    "linear_decay": linear_decay,
}
