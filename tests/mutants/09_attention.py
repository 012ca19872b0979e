"""Mutants of unit 09_attention's answers that compute the same thing as the
solution (grading/mutation.py); `course.py mutants 09_attention` lists them."""

_TRANSPOSE = "torch's transpose(a, b) swaps the same two axes as transpose(b, a)"
_LAST_AXIS = "logits are (N, V), two axes: dim=1 is the last axis, the same as dim=-1"

EQUIVALENT = {
    ("VisionTransformer", "sign: `-1`#0/0"): (
        "cls_token.expand(N, 1, -1) instead of expand(N, -1, -1): the token's middle "
        "axis has size 1 already, so the expanded tensor is the same"
    ),
    ("scaled_dot_product_attention", "arguments: `k.transpose(-2, -1)`#0/0"): (
        _TRANSPOSE
    ),
    ("MultiHeadAttention", "arguments: `k.transpose(-2, -1)`#0/0"): _TRANSPOSE,
    (
        "MultiHeadAttention",
        "arguments: `self.query(query).reshape(N, S, H, E // H).transpose(1, 2)`#0/0",
    ): _TRANSPOSE,
    (
        "MultiHeadAttention",
        "arguments: `self.key(key).reshape(N, T, H, E // H).transpose(1, 2)`#0/0",
    ): _TRANSPOSE,
    (
        "MultiHeadAttention",
        "arguments: `self.value(value).reshape(N, T, H, E // H).transpose(1, 2)`#0/0",
    ): _TRANSPOSE,
    ("MultiHeadAttention", "arguments: `(weights @ v).transpose(1, 2)`#0/0"): (
        _TRANSPOSE
    ),
    ("MultiHeadAttention", "arithmetic: `E // H`#0/0"): (
        "sqrt(E / H) instead of sqrt(E // H): E is a multiple of num_heads (the "
        "constructor checks it), so the two are equal"
    ),
    ("MultiHeadAttention", "sign: `-2`#0/0"): (
        "k is (N, H, T, d): axis 2 is axis -2, so k.transpose(2, -1) is "
        "k.transpose(-2, -1)"
    ),
    ("label_smoothing_loss", "sign: `-1`#0/0"): _LAST_AXIS,
    ("label_smoothing_loss", "sign: `-1`#1/0"): _LAST_AXIS,
    ("label_smoothing_loss", "sign: `-1`#2/0"): _LAST_AXIS,
    ("label_smoothing_loss", "sign: `-1`#3/0"): _LAST_AXIS,
}
