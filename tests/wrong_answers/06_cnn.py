"""Typical wrong answers for unit 06_cnn; each must lose points in its own tests only
(see wrong_answer.WrongAnswer)."""

from wrong_answer import WrongAnswer

# The spatial batch-norm backward is tested with the student's own forward cache;
# cnn_param_count is built with the student's count_conv_params, and
# param_reduction from the student's two counts.
DEPENDS_ON = {
    "spatial_batchnorm_backward": {"spatial_batchnorm_forward"},
    "spatial_groupnorm_backward": {"spatial_groupnorm_forward"},
    "cnn_param_count": {"count_conv_params"},
    "param_reduction": {"cnn_param_count", "mlp_param_count", "count_conv_params"},
}

CASES = [
    WrongAnswer(
        "spatial_groupnorm_forward",
        "statistics over the batch too",
        replace=[
            (
                "groups = x.reshape(N, G, -1)",
                "groups = x.transpose(1, 0, 2, 3).reshape(G, -1)[None]",
            ),
            (
                "x_hat = ((groups - mean) * inv_std).reshape(N, C, H, W)",
                "x_hat = ((groups - mean) * inv_std).reshape(C, N, H, W)"
                ".transpose(1, 0, 2, 3)",
            ),
        ],
        says="Hint: the statistics come from each example alone",
    ),
    WrongAnswer(
        "spatial_groupnorm_forward",
        "interleaved groups (channel c in group c % G)",
        replace=[
            (
                "groups = x.reshape(N, G, -1)",
                "groups = x.reshape(N, C // G, G, H * W).transpose(0, 2, 1, 3)"
                ".reshape(N, G, -1)",
            ),
            (
                "x_hat = ((groups - mean) * inv_std).reshape(N, C, H, W)",
                "x_hat = ((groups - mean) * inv_std).reshape(N, G, C // G, H * W)"
                ".transpose(0, 2, 1, 3).reshape(N, C, H, W)",
            ),
        ],
        says="Hint: a group is C // G consecutive channels",
    ),
    WrongAnswer(
        "spatial_groupnorm_backward",
        "drops the x_hat term of the closed form",
        replace=[
            (
                "\n                    - x_hat_g * (g * x_hat_g).mean(axis=2, "
                "keepdims=True))",
                ")",
            )
        ],
        says="Hint: per group: (g - mean(g) - x_hat * mean(g * x_hat)) / std",
    ),
    WrongAnswer(
        "spatial_groupnorm_backward",
        "dgamma summed over the batch only",
        replace=[
            (
                "dgamma = (dout * x_hat).sum(axis=(0, 2, 3))",
                "dgamma = (dout * x_hat).sum(axis=0)",
            )
        ],
        says="Hint: dgamma and dbeta have one entry per channel",
    ),
    WrongAnswer(
        "conv_backward_naive",
        "crops the padding with H on both axes",
        replace=[
            (
                "dx = dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]",
                "dx = dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[2]]",
            )
        ],
        says="Hint: cut the padding off both spatial axes of dx",
    ),
    WrongAnswer(
        "ThreeLayerConvNet",
        "weights divided by the normal draws",
        replace=[
            (
                "weights = weight_scale * rng.standard_normal(shape)",
                "weights = weight_scale / rng.standard_normal(shape)",
            )
        ],
        says="Hint: each W = weight_scale * rng.standard_normal(shape)",
    ),
    WrongAnswer(
        "conv_output_size",
        "pads only one side",
        replace=[("(H + 2 * P - K) // S + 1", "(H + P - K) // S + 1")],
        says="Hint: P pads both sides: H + 2P.",
    ),
    WrongAnswer(
        "conv_output_size",
        "forgets the + 1",
        replace=[("(H + 2 * P - K) // S + 1", "(H + 2 * P - K) // S")],
        says="Hint: one position short",
    ),
    WrongAnswer(
        "conv_output_size",
        "rounds up instead of down",
        replace=[("(H + 2 * P - K) // S + 1", "-(-(H + 2 * P - K) // S) + 1")],
        says="Hint: floor, not round or ceil.",
    ),
    WrongAnswer(
        "count_conv_params",
        "forgets the biases",
        replace=[("K_h * K_w * C_in * C_out + C_out", "K_h * K_w * C_in * C_out")],
        says="Hint: one bias per output channel.",
    ),
    WrongAnswer(
        "count_conv_params",
        "one bias per input channel",
        replace=[
            ("K_h * K_w * C_in * C_out + C_out", "K_h * K_w * C_in * C_out + C_in")
        ],
        says="Hint: one bias per output channel.",
    ),
    WrongAnswer(
        "receptive_field",
        "the notes' formula: strides up to and including the layer",
        replace=[
            (
                "        field += (k - 1) * jump\n        jump *= s\n",
                "        jump *= s\n        field += (k - 1) * jump\n",
            )
        ],
        says="Hint: each layer adds (k - 1) times the product of the strides of",
    ),
    WrongAnswer(
        "receptive_field",
        "adds the kernel sizes and ignores the strides",
        replace=[("field += (k - 1) * jump", "field += k - 1")],
        says="Hint: each layer adds (k - 1) times the product of the strides of",
    ),
    WrongAnswer(
        "conv_forward_naive",
        "ignores the padding",
        replace=[
            ("xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))", "xp = x"),
            (
                "out_h = (H + 2 * pad - HH) // stride + 1",
                "out_h = (H - HH) // stride + 1",
            ),
            (
                "out_w = (W + 2 * pad - WW) // stride + 1",
                "out_w = (W - WW) // stride + 1",
            ),
        ],
        says="Hint: pad every side of H and W with `pad` zeros.",
    ),
    WrongAnswer(
        "conv_forward_naive",
        "flips the filter (true convolution)",
        replace=[
            (
                "out[n, f, i, j] = np.sum(window * w[f]) + b[f]",
                "out[n, f, i, j] = np.sum(window * w[f, :, ::-1, ::-1]) + b[f]",
            )
        ],
        says="Hint: out[i, j] = sum(window * w) + b with the window starting at",
    ),
    WrongAnswer(
        "conv_forward_naive",
        "ignores the stride",
        replace=[
            (
                "window = xp[n, :, i * stride:i * stride + HH,\n"
                "                                j * stride:j * stride + WW]",
                "window = xp[n, :, i:i + HH, j:j + WW]",
            )
        ],
        says="CheckFailed: conv_forward_naive x (2, 2, 7, 7) w (3, 2, 3, 3) stride 2",
    ),
    WrongAnswer(
        "conv_backward_naive",
        "forgets to remove the padding from dx",
        replace=[
            ("dx = dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]", "dx = dxp")
        ],
        says="Hint: add dout * w[f] into the padded input's window, then cut",
    ),
    WrongAnswer(
        "conv_backward_naive",
        "flips the window in dw",
        replace=[
            (
                "dw[f] += dout[n, f, i, j] * xp[n, :, rows, cols]",
                "dw[f] += dout[n, f, i, j] * xp[n, :, rows, cols][:, ::-1, ::-1]",
            )
        ],
        says="Hint: dw[f] accumulates dout * window.",
    ),
    WrongAnswer(
        "conv_backward_naive",
        "averages db instead of summing",
        replace=[("db = dout.sum(axis=(0, 2, 3))", "db = dout.mean(axis=(0, 2, 3))")],
        says="Hint: db[f] sums dout[:, f] over N, H', W'.",
    ),
    WrongAnswer(
        "max_pool_forward_naive",
        "average pooling",
        replace=[
            (
                "out[:, :, i, j] = window.max(axis=(2, 3))",
                "out[:, :, i, j] = window.mean(axis=(2, 3))",
            )
        ],
        says="Hint: the maximum of each 2x2 window, windows moved by the stride.",
    ),
    WrongAnswer(
        "max_pool_forward_naive",
        "windows do not move by the stride",
        replace=[
            (
                "window = x[:, :, i * stride:i * stride + ph, "
                "j * stride:j * stride + pw]",
                "window = x[:, :, i:i + ph, j:j + pw]",
            )
        ],
        says="Hint: the maximum of each 2x2 window, windows moved by the stride.",
    ),
    WrongAnswer(
        "max_pool_backward_naive",
        "routes the gradient to every element of the window",
        replace=[
            (
                "                    di, dj = np.unravel_index(np.argmax(window), "
                "window.shape)\n"
                "                    dx[n, c, i * stride + di, j * stride + dj] += "
                "dout[n, c, i, j]\n",
                "                    dx[n, c, i * stride:i * stride + ph,\n"
                "                       j * stride:j * stride + pw] += "
                "dout[n, c, i, j]\n",
            )
        ],
        says="Hint: each window's gradient goes only to its maximum; every",
    ),
    WrongAnswer(
        "max_pool_backward_naive",
        "routes the gradient to the minimum",
        replace=[("np.argmax(window)", "np.argmin(window)")],
        says="Hint: each window's gradient goes only to its maximum; every",
    ),
    WrongAnswer(
        "spatial_batchnorm_forward",
        "reshapes to (-1, C) without moving the channel axis",
        replace=[
            (
                "rows = x.transpose(0, 2, 3, 1).reshape(-1, C)",
                "rows = x.reshape(-1, C)",
            ),
            (
                "out = out.reshape(N, H, W, C).transpose(0, 3, 1, 2)",
                "out = out.reshape(N, C, H, W)",
            ),
        ],
        says="Hint: move C last (transpose(0, 2, 3, 1)), flatten to (N*H*W, C),",
    ),
    WrongAnswer(
        "spatial_batchnorm_forward",
        "normalises every (channel, position) separately",
        source="def spatial_batchnorm_forward(x, gamma, beta, bn_param):\n"
        "    N, C, H, W = x.shape\n"
        "    g = np.repeat(gamma, H * W)\n"
        "    b = np.repeat(beta, H * W)\n"
        "    out, cache = normalization.batchnorm_forward(x.reshape(N, -1), g, b, "
        "bn_param)\n"
        "    return out.reshape(N, C, H, W), cache\n",
        says="CheckFailed: spatial_batchnorm_forward (3, 4, 5, 2):",
    ),
    WrongAnswer(
        "spatial_batchnorm_backward",
        "reshapes dout without moving the channel axis",
        replace=[
            (
                "rows = dout.transpose(0, 2, 3, 1).reshape(-1, C)",
                "rows = dout.reshape(-1, C)",
            ),
            (
                "dx = dx.reshape(N, H, W, C).transpose(0, 3, 1, 2)",
                "dx = dx.reshape(N, C, H, W)",
            ),
        ],
        says="Hint: reshape dout exactly as the forward reshaped x, and undo it",
    ),
    WrongAnswer(
        "spatial_batchnorm_backward",
        "returns the rows without reshaping dx back",
        replace=[("    dx = dx.reshape(N, H, W, C).transpose(0, 3, 1, 2)\n", "")],
        says="Hint: reshape dout exactly as the forward reshaped x, and undo it",
    ),
    WrongAnswer(
        "ThreeLayerConvNet",
        "regularises the biases too",
        replace=[
            ('for name in ("W1", "W2", "W3"):', "for name in p:"),
        ],
        says="CheckFailed: ThreeLayerConvNet loss vs torch:",
    ),
    WrongAnswer(
        "ThreeLayerConvNet",
        "forgets the ReLU after the convolution",
        replace=[
            ("        out, relu1_cache = layers.relu_forward(out)\n", ""),
            ("        dout = layers.relu_backward(dout, relu1_cache)\n", ""),
        ],
        says="CheckFailed: ThreeLayerConvNet loss vs torch:",
    ),
    WrongAnswer(
        "ThreeLayerConvNet",
        "no padding: W2 sized for the padded output",
        replace=[
            (
                'conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}',
                'conv_param = {"stride": 1, "pad": 0}',
            )
        ],
        says="ValueError: matmul",
    ),
    WrongAnswer(
        "cnn_param_count",
        "forgets the biases",
        source="cnn_param_count = (3 * 3 * 3 * 16 + 3 * 3 * 16 * 32 + 2048 * 128 "
        "+ 128 * 10)\n",
        says="CheckFailed: cnn_param_count:",
    ),
    WrongAnswer(
        "cnn_param_count",
        "flattens the 32x32 map (no pooling)",
        source="cnn_param_count = (448 + 4640 + 32 * 32 * 32 * 128 + 128 + 1290)\n",
        says="CheckFailed: cnn_param_count:",
    ),
    WrongAnswer(
        "mlp_param_count",
        "one hidden layer only",
        source="mlp_param_count = (3072 * 128 + 128) + (128 * 10 + 10)\n",
        says="CheckFailed: mlp_param_count:",
    ),
    WrongAnswer(
        "mlp_param_count",
        "forgets the biases",
        source="mlp_param_count = 3072 * 128 + 128 * 128 + 128 * 10\n",
        says="CheckFailed: mlp_param_count:",
    ),
    WrongAnswer(
        "param_reduction",
        "the lecture's 53 percent",
        source="param_reduction = 0.53\n",
        says="Hint: (MLP count - CNN count) / MLP count.",
    ),
    WrongAnswer(
        "param_reduction",
        "a percentage, not a fraction",
        source="param_reduction = 100 * (mlp_param_count - cnn_param_count) "
        "/ mlp_param_count\n",
        says="Hint: a fraction, not a percentage: 0.5 means half as many.",
    ),
    WrongAnswer(
        "param_reduction",
        "the CNN's count as a fraction of the MLP's",
        source="param_reduction = cnn_param_count / mlp_param_count\n",
        says="Hint: (MLP count - CNN count) / MLP count.",
    ),
    WrongAnswer(
        "avg_pool_forward_naive",
        "sums each window",
        replace=[
            (
                "out[:, :, i, j] = window.mean(axis=(2, 3))",
                "out[:, :, i, j] = window.sum(axis=(2, 3))",
            )
        ],
        says="Hint: the MEAN of each 2x2 window",
    ),
    WrongAnswer(
        "avg_pool_forward_naive",
        "divides each window's sum by stride**2, not by its area",
        replace=[
            (
                "out[:, :, i, j] = window.mean(axis=(2, 3))",
                "out[:, :, i, j] = window.sum(axis=(2, 3)) / stride**2",
            )
        ],
        says="Hint: divide each window's sum by its area, pool_height * pool_width",
    ),
    WrongAnswer(
        "avg_pool_forward_naive",
        "moves the window by 1, not by the stride",
        replace=[
            (
                "j * stride:j * stride + pw]\n"
                "            out[:, :, i, j] = window.mean",
                "j:j + pw]\n            out[:, :, i, j] = window.mean",
            ),
            (
                "window = x[:, :, i * stride:i * stride + ph, j:j + pw]",
                "window = x[:, :, i:i + ph, j:j + pw]",
            ),
        ],
        says="windows moved by the stride.",
    ),
    WrongAnswer(
        "avg_pool_backward_naive",
        "does not divide by the window size",
        replace=[("share = dout / (ph * pw)", "share = dout")],
        says="Hint: every position of a window gets dout / (pool_height * pool_width)",
    ),
    WrongAnswer(
        "avg_pool_backward_naive",
        "overwrites where windows overlap",
        replace=[
            (
                "j * stride:j * stride + pw] += (",
                "j * stride:j * stride + pw] = (",
            )
        ],
        says="Hint: windows overlap here: a position gets the sum",
    ),
    WrongAnswer(
        "avg_pool_backward_naive",
        "sends each window's gradient to its first position only",
        source="def avg_pool_backward_naive(dout, cache):\n"
        "    x, pool_param = cache\n"
        "    stride = pool_param['stride']\n"
        "    dx = np.zeros_like(x)\n"
        "    for i in range(dout.shape[2]):\n"
        "        for j in range(dout.shape[3]):\n"
        "            dx[:, :, i * stride, j * stride] += dout[:, :, i, j]\n"
        "    return dx\n",
        says="Hint: every position of a window gets dout / (pool_height * pool_width)",
    ),
]


# (hidden test, the hint's first words) -> why no typical wrong answer shows it.
HINTS_NO_CASE_REACHES = {
    ("test_avg_pool_backward_naive_hidden", "dout / (pool_height * pool_width)"): (
        "it restates the two rules of the visible test (the share of each position, "
        "and += where windows overlap), which catches each known mistake first."
    ),
}
