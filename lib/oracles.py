"""Independent implementations that notebook tests compare answers with.

``torch_rule_path`` runs a torch.optim optimiser on a fixed sequence of gradients,
and ``rule_path`` runs an update rule on the same sequence, so the two paths can
be compared step by step (K steps, w of any shape S). ``torch_svm_loss`` and
``torch_softmax_loss`` compute the linear classifiers' losses and gradients with
torch (N examples, D features, C classes); ``torch_backward`` runs any torch
function forward and backward (the independent check for layers), and
``torch_fc_loss`` is a fully connected network's loss written for it.
``torch_plateau_lrs`` and ``torch_sgdr_lrs`` step torch's ReduceLROnPlateau and
CosineAnnealingWarmRestarts on a one-parameter optimiser.
``torch_recurrent`` (and ``torch_recurrent_step``) run torch's RNN and LSTM in the
course's conventions, ``torch_gru_step`` / ``torch_gru`` are the lecture's GRU in
torch (a step, and a sequence with its gradients), ``torch_conv1d`` is unit 08's
1-D convolution over embeddings by ``F.conv1d``, and
``torch_mha`` / ``torch_encoder_layer`` / ``torch_decoder_layer`` copy a course
attention module's weights into torch's own ``nn.MultiheadAttention`` /
``nn.TransformerEncoderLayer`` / ``nn.TransformerDecoderLayer``.
``sklearn_standardizer``, ``sklearn_pca`` and ``scipy_kl_divergence`` are unit 02's
preprocessing statistics and divergence, computed by scikit-learn and SciPy.
"""

from __future__ import annotations

import numpy as np

# Our rule's name -> (torch optimiser, how our config maps onto its arguments).
_TORCH = {
    "sgd": ("SGD", lambda c: dict(lr=c["learning_rate"])),
    "sgd_momentum": (
        "SGD",
        lambda c: dict(lr=c["learning_rate"], momentum=c["momentum"]),
    ),
    "nesterov": (
        "SGD",
        lambda c: dict(lr=c["learning_rate"], momentum=c["momentum"], nesterov=True),
    ),
    "adagrad": ("Adagrad", lambda c: dict(lr=c["learning_rate"], eps=c["epsilon"])),
    "rmsprop": (
        "RMSprop",
        lambda c: dict(lr=c["learning_rate"], alpha=c["decay_rate"], eps=c["epsilon"]),
    ),
    "adam": (
        "Adam",
        lambda c: dict(
            lr=c["learning_rate"], betas=(c["beta1"], c["beta2"]), eps=c["epsilon"]
        ),
    ),
    "adamw": (
        "AdamW",
        lambda c: dict(
            lr=c["learning_rate"],
            betas=(c["beta1"], c["beta2"]),
            eps=c["epsilon"],
            weight_decay=c["weight_decay"],
        ),
    ),
}
DEFAULTS = {
    "sgd": dict(learning_rate=1e-2),
    "sgd_momentum": dict(learning_rate=1e-2, momentum=0.9),
    "nesterov": dict(learning_rate=1e-2, momentum=0.9),
    "adagrad": dict(learning_rate=1e-2, epsilon=1e-8),
    "rmsprop": dict(learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8),
    "adam": dict(learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8),
    "adamw": dict(
        learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=1e-2
    ),
}


def torch_rule_path(
    name: str, w0: np.ndarray, grads, config: dict | None = None
) -> np.ndarray:
    """Positions (K, *S) of torch.optim's version of rule ``name`` from ``w0``.

    ``config`` overrides the course's defaults for that rule (COURSE.md).
    """
    import torch

    settings = {**DEFAULTS[name], **(config or {})}
    optimiser_name, arguments = _TORCH[name]
    w = torch.tensor(np.array(w0, dtype=np.float64), requires_grad=True)
    optimiser = getattr(torch.optim, optimiser_name)([w], **arguments(settings))
    path = []
    for grad in grads:
        w.grad = torch.tensor(np.asarray(grad, dtype=np.float64))
        optimiser.step()
        path.append(w.detach().numpy().copy())
    return np.array(path)


def rule_path(rule, w0: np.ndarray, grads, config: dict | None = None) -> np.ndarray:
    """Positions (K, *S) of ``rule`` from ``w0``, passing its config back each step."""
    w = np.array(w0, dtype=np.float64)
    path = []
    for grad in grads:
        w, config = rule(w, np.asarray(grad, dtype=np.float64), config)
        path.append(np.array(w, dtype=np.float64))
    return np.array(path)


def _one_parameter_optimizer(lr: float):
    import torch

    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def torch_plateau_lrs(metrics, lr0: float, **settings) -> list[float]:
    """The learning rate after each metric of torch's ReduceLROnPlateau ('min'
    mode, relative threshold); ``settings``: factor, patience, threshold,
    cooldown, min_lr."""
    import torch

    optimizer = _one_parameter_optimizer(lr0)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, mode="min", threshold_mode="rel", **settings
    )
    lrs = []
    for metric in metrics:
        scheduler.step(float(metric))
        lrs.append(optimizer.param_groups[0]["lr"])
    return lrs


def torch_sgdr_lrs(
    steps: int, lr_max: float, cycle_len: int, mult: int = 1, lr_min: float = 0.0
) -> list[float]:
    """The learning rate at steps 0 .. steps-1 of torch's
    CosineAnnealingWarmRestarts (T_0 = cycle_len, T_mult = mult, eta_min =
    lr_min), stepped once per step."""
    import torch

    optimizer = _one_parameter_optimizer(lr_max)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        optimizer, T_0=cycle_len, T_mult=mult, eta_min=lr_min
    )
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


def torch_linear_decay_lrs(steps: int, lr0: float, total_steps: int) -> list[float]:
    """The learning rate at steps 0 .. steps-1 of torch's PolynomialLR with
    total_iters = total_steps and power 1, stepped once per step."""
    import torch

    optimizer = _one_parameter_optimizer(lr0)
    scheduler = torch.optim.lr_scheduler.PolynomialLR(
        optimizer, total_iters=total_steps, power=1.0
    )
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


def _torch_loss(kind: str, W, X, y, reg: float) -> tuple[float, np.ndarray]:
    import torch
    import torch.nn.functional as F

    Wt = torch.tensor(np.asarray(W, dtype=np.float64), requires_grad=True)
    scores = torch.tensor(np.asarray(X, dtype=np.float64)) @ Wt
    target = torch.tensor(np.asarray(y, dtype=np.int64))
    if kind == "svm":
        # torch averages the hinge terms over the C classes too; undo that.
        data_loss = scores.shape[1] * F.multi_margin_loss(scores, target, margin=1.0)
    else:
        data_loss = F.cross_entropy(scores, target)
    loss = data_loss + reg * (Wt * Wt).sum()
    loss.backward()
    return loss.item(), Wt.grad.numpy()


def torch_svm_loss(W, X, y, reg: float) -> tuple[float, np.ndarray]:
    """Multiclass SVM loss and dW (D, C) from torch's multi_margin_loss and autograd."""
    return _torch_loss("svm", W, X, y, reg)


def torch_softmax_loss(W, X, y, reg: float) -> tuple[float, np.ndarray]:
    """Softmax loss and dW (D, C) from torch's cross_entropy and autograd."""
    return _torch_loss("softmax", W, X, y, reg)


def torch_backward(fn, *arrays, dout=None):
    """Run ``fn`` on float64 tensors made from ``arrays`` and backpropagate ``dout``.

    ``fn`` maps torch tensors to a tensor (a layer written with torch) or to a scalar
    (a loss; then ``dout`` is left out). Returns ``(out, grads)`` as NumPy: the
    output and one gradient per array, in order; None for an array that does not
    influence the output. Integer arrays (labels) are passed through as int64
    tensors and get no gradient.
    """
    import torch

    tensors = []
    for a in arrays:
        a = np.asarray(a)
        if a.dtype.kind in "iub":
            tensors.append(torch.tensor(a.astype(np.int64)))
        else:
            tensors.append(torch.tensor(a, dtype=torch.float64, requires_grad=True))
    out = fn(*tensors)
    if dout is None:
        out.backward()
    else:
        out.backward(torch.tensor(np.asarray(dout, dtype=np.float64)))
    grads = [
        None if not t.requires_grad or t.grad is None else t.grad.numpy()
        for t in tensors
    ]
    return out.detach().numpy(), grads


def measured_receptive_field(kernel_sizes, strides, size: int = 64) -> int:
    """Receptive field (pixels along one side) of a central unit of the last layer of
    a stack of convolutions, measured with autograd: the input rows on which that
    unit's gradient is nonzero (all-ones filters, so nothing cancels)."""
    import torch
    import torch.nn.functional as F

    x = torch.ones(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    out = x
    for k, s in zip(kernel_sizes, strides, strict=True):
        out = F.conv2d(out, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s)
    out[0, 0, out.shape[2] // 2, out.shape[3] // 2].backward()
    rows = (x.grad[0, 0].sum(dim=1) > 0).nonzero()
    return int(rows.max() - rows.min() + 1)


def torch_recurrent(cell: str, x, h0, Wx, Wh, b, c0=None, dh=None, dc=None):
    """Forward and backward of a whole sequence by ``torch.nn.RNN`` or ``nn.LSTM``
    (float64), in the course's conventions: rows are batch elements, x (N, T, D),
    Wx (D, H) or (D, 4H) with the LSTM's gate columns in the order i, f, o, g
    (PyTorch orders them i, f, g, o, so the columns are permuted here).

    Returns (h (N, T, H), c_T or None, grads) with grads a dict holding dx, dh0,
    dc0 (LSTM), dWx, dWh, db of sum(h * dh) + sum(c_T * dc).
    """
    import torch

    H = Wh.shape[0]
    order = np.arange(Wx.shape[1])
    if cell == "lstm":
        order = np.concatenate(
            [np.arange(0, 2 * H), np.arange(3 * H, 4 * H), np.arange(2 * H, 3 * H)]
        )
    module = (torch.nn.LSTM if cell == "lstm" else torch.nn.RNN)(
        Wx.shape[0], H, batch_first=True, dtype=torch.float64
    )
    leaf = {
        name: torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)
        for name, a in (("x", x), ("h0", h0), ("Wx", Wx), ("Wh", Wh), ("b", b))
    }
    if cell == "lstm":
        start_c = np.zeros_like(h0) if c0 is None else c0
        leaf["c0"] = torch.tensor(
            np.asarray(start_c, dtype=np.float64), requires_grad=True
        )
    weights = {
        "weight_ih_l0": leaf["Wx"][:, order].T,
        "weight_hh_l0": leaf["Wh"][:, order].T,
        "bias_ih_l0": leaf["b"][order],
        "bias_hh_l0": torch.zeros(len(order), dtype=torch.float64),
    }
    state = (leaf["h0"][None], leaf["c0"][None]) if cell == "lstm" else leaf["h0"][None]
    h, last = torch.func.functional_call(module, weights, (leaf["x"], state))
    c_T = last[1][0] if cell == "lstm" else None
    total = (h * torch.tensor(np.ones(h.shape) if dh is None else dh)).sum()
    if c_T is not None and dc is not None:
        total = total + (c_T * torch.tensor(dc)).sum()
    total.backward()
    grads = {f"d{k}": v.grad.numpy() for k, v in leaf.items()}
    return (h.detach().numpy(), None if c_T is None else c_T.detach().numpy(), grads)


def torch_recurrent_step(
    cell: str, x, prev_h, Wx, Wh, b, prev_c=None, dnext_h=None, dnext_c=None
):
    """One step of ``torch_recurrent``: x (N, D), prev_h (N, H); returns (next_h,
    next_c or None, grads) with grads as there, dx of shape (N, D)."""
    h, c, grads = torch_recurrent(
        cell,
        x[:, None],
        prev_h,
        Wx,
        Wh,
        b,
        c0=prev_c,
        dh=None if dnext_h is None else dnext_h[:, None],
        dc=dnext_c,
    )
    grads["dx"] = grads["dx"][:, 0]
    return h[:, 0], c, grads


def _torch_gru_step(x, prev_h, Wx, Wh, b):
    """The lecture's GRU step on torch tensors: gate columns r, z, n; the reset
    gate multiplies prev_h before Wh."""
    import torch

    H = prev_h.shape[1]
    r = torch.sigmoid(x @ Wx[:, :H] + prev_h @ Wh[:, :H] + b[:H])
    z = torch.sigmoid(x @ Wx[:, H : 2 * H] + prev_h @ Wh[:, H : 2 * H] + b[H : 2 * H])
    n = torch.tanh(x @ Wx[:, 2 * H :] + (r * prev_h) @ Wh[:, 2 * H :] + b[2 * H :])
    return (1 - z) * prev_h + z * n


def torch_gru_step(x, prev_h, Wx, Wh, b) -> np.ndarray:
    """The lecture's GRU step in torch (float64), written independently of lib."""
    import torch

    arrays = (x, prev_h, Wx, Wh, b)
    return _torch_gru_step(
        *(torch.tensor(np.asarray(a), dtype=torch.float64) for a in arrays)
    ).numpy()


def torch_gru(x, h0, Wx, Wh, b, dh=None):
    """The lecture's GRU over a sequence x (N, T, D) in torch: returns h (N, T, H)
    and, when ``dh`` is given, the gradients {dx, dh0, dWx, dWh, db} of sum(h * dh)
    by autograd."""
    import torch

    def run(x, h0, Wx, Wh, b):
        states, prev = [], h0
        for t in range(x.shape[1]):
            prev = _torch_gru_step(x[:, t], prev, Wx, Wh, b)
            states.append(prev)
        return torch.stack(states, dim=1)

    if dh is None:
        arrays = (x, h0, Wx, Wh, b)
        tensors = (torch.tensor(np.asarray(a), dtype=torch.float64) for a in arrays)
        return run(*tensors).numpy(), None
    h, grads = torch_backward(run, x, h0, Wx, Wh, b, dout=dh)
    return h, dict(zip(("dx", "dh0", "dWx", "dWh", "db"), grads, strict=True))


def torch_conv1d_tensors(x, w, b, pad: int = 0):
    """The course's 1-D convolution on torch tensors: x (N, T, D), w (K, D, F),
    b (F,) -> (N, T + 2 pad - K + 1, F), by ``F.conv1d`` (channels first)."""
    import torch.nn.functional as F

    out = F.conv1d(x.transpose(1, 2), w.permute(2, 1, 0), b, padding=pad)
    return out.transpose(1, 2)


def torch_conv1d(x, w, b, pad: int = 0) -> np.ndarray:
    """``torch_conv1d_tensors`` on float64 copies of NumPy arrays."""
    import torch

    arrays = (x, w, b)
    tensors = (torch.tensor(np.asarray(a), dtype=torch.float64) for a in arrays)
    return torch_conv1d_tensors(*tensors, pad).numpy()


def torch_fc_loss(X, y, reg: float, normalization: str | None = None):
    """A fully connected net's loss as a torch function of its parameters, for
    ``torch_backward``: affine - [batch/layer norm] - ReLU per hidden layer, then
    affine, softmax cross-entropy and reg * (sum of squared weights).

    The parameters come in the course's order: W1, b1 (gamma1, beta1 with a
    normalization), ..., W_L, b_L. Batch norm uses the batch's statistics.
    """
    import torch
    import torch.nn.functional as F

    per_layer = 2 if normalization is None else 4

    def loss(*params):
        out = torch.tensor(X)
        hidden = (len(params) - 2) // per_layer
        for i in range(hidden):
            W, b, *norm = params[per_layer * i : per_layer * (i + 1)]
            out = out @ W + b
            if normalization == "batchnorm":
                out = F.batch_norm(out, None, None, *norm, training=True, eps=1e-5)
            elif normalization == "layernorm":
                out = F.layer_norm(out, (out.shape[1],), *norm, eps=1e-5)
            out = torch.relu(out)
        W, b = params[-2:]
        weights = [params[per_layer * i] for i in range(hidden)] + [W]
        data_loss = F.cross_entropy(out @ W + b, torch.tensor(y))
        return data_loss + reg * sum((w**2).sum() for w in weights)

    return loss


def torch_mha(module, num_heads: int):
    """An ``nn.MultiheadAttention`` (eval mode) holding the weights of ``module``'s
    ``query``, ``key``, ``value`` and ``proj`` linear layers, on their device."""
    import torch

    q, k, v, proj = module.query, module.key, module.value, module.proj
    E = q.weight.shape[0]
    ref = torch.nn.MultiheadAttention(E, num_heads, batch_first=True)
    ref = ref.to(q.weight.device)
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.cat([q.weight, k.weight, v.weight]))
        ref.in_proj_bias.copy_(torch.cat([q.bias, k.bias, v.bias]))
        ref.out_proj.weight.copy_(proj.weight)
        ref.out_proj.bias.copy_(proj.bias)
    return ref.eval()


def _torch_layer(
    layer_class: str, block, num_heads, d_ff, norm_first, attentions, norms
):
    """A torch transformer layer (eval mode, dropout 0) holding ``block``'s weights:
    ``attentions`` and ``norms`` pair the block's submodule names with the layer's;
    ``ffn[0]`` and ``ffn[2]`` go to ``linear1`` and ``linear2``."""
    import torch

    d_model = block.norm1.weight.shape[0]
    ref = getattr(torch.nn, layer_class)(
        d_model,
        num_heads,
        d_ff,
        dropout=0.0,
        batch_first=True,
        norm_first=norm_first,
    ).to(block.norm1.weight.device)
    with torch.no_grad():
        for mine, theirs in attentions:
            state = torch_mha(getattr(block, mine), num_heads).state_dict()
            getattr(ref, theirs).load_state_dict(state)
        pairs = [(getattr(block, mine), getattr(ref, theirs)) for mine, theirs in norms]
        pairs += [(block.ffn[0], ref.linear1), (block.ffn[2], ref.linear2)]
        for mine, theirs in pairs:
            theirs.weight.copy_(mine.weight)
            theirs.bias.copy_(mine.bias)
    return ref.eval()


def torch_encoder_layer(block, num_heads: int, d_ff: int, norm_first: bool):
    """An ``nn.TransformerEncoderLayer`` (eval mode, dropout 0) holding the weights
    of a course ``TransformerBlock`` (``attn``, ``norm1``, ``norm2``, ``ffn[0]``,
    ``ffn[2]``), on its device."""
    return _torch_layer(
        "TransformerEncoderLayer",
        block,
        num_heads,
        d_ff,
        norm_first,
        attentions=[("attn", "self_attn")],
        norms=[("norm1", "norm1"), ("norm2", "norm2")],
    )


def torch_decoder_layer(block, num_heads: int, d_ff: int, norm_first: bool):
    """An ``nn.TransformerDecoderLayer`` (eval mode, dropout 0) holding the weights
    of a course ``DecoderBlock`` (``self_attn``, ``cross_attn``, ``norm1``-``norm3``,
    ``ffn[0]``, ``ffn[2]``), on its device."""
    return _torch_layer(
        "TransformerDecoderLayer",
        block,
        num_heads,
        d_ff,
        norm_first,
        attentions=[("self_attn", "self_attn"), ("cross_attn", "multihead_attn")],
        norms=[("norm1", "norm1"), ("norm2", "norm2"), ("norm3", "norm3")],
    )


def sklearn_standardizer(X) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature mean and population std of the rows of X, by scikit-learn's
    StandardScaler (which gives a constant feature the scale 1)."""
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(np.asarray(X, dtype=np.float64))
    return scaler.mean_, scaler.scale_


def sklearn_pca(X, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(mean (D,), components (k, D)) of scikit-learn's PCA of the rows of X, each
    component flipped so that its entry of largest absolute value is positive."""
    from sklearn.decomposition import PCA

    pca = PCA(n_components=k, svd_solver="full").fit(np.asarray(X, dtype=np.float64))
    components = pca.components_
    largest = components[np.arange(k), np.abs(components).argmax(axis=1)]
    return pca.mean_, components * np.sign(largest)[:, None]


def scipy_kl_divergence(p, q) -> np.ndarray:
    """Row-wise KL(p || q) of (N, C) distributions, by SciPy's ``rel_entr``
    (which takes 0 * log(0 / q) as 0)."""
    from scipy.special import rel_entr

    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    return rel_entr(p, q).sum(axis=1)
