"""Typical wrong answers for unit 09_attention; each must lose points in its own
tests only (see wrong_answer.WrongAnswer)."""

from wrong_answer import WrongAnswer

# The demos after each answer use it; the graded tests of later answers swap in
# lib's references, so no answer's tests depend on another's.
DEPENDS_ON: dict[str, set[str]] = {}

# The indentation of the pre-norm cross-attention's continued line.
PAD = "\n" + " " * 46

CASES = [
    WrongAnswer(
        "VisionTransformer",
        "positions that start large (a standard normal, unscaled)",
        replace=[
            (
                "nn.Parameter(0.02 * torch.randn(1, 1 + num_patches,",
                "nn.Parameter(1.0 * torch.randn(1, 1 + num_patches,",
            )
        ],
        says="Hint: start them small",
    ),
    WrongAnswer(
        "PatchEmbedding",
        "patches column by column",
        replace=[
            (
                "x.reshape(N, C, H // p, p, W // p, p).permute(0, 2, 4, 1, 3, 5)",
                "x.reshape(N, C, H // p, p, W // p, p).permute(0, 4, 2, 1, 3, 5)",
            )
        ],
        says="Hint: the patches in row-major order",
    ),
    WrongAnswer(
        "PatchEmbedding",
        "each patch flattened with the channels last",
        replace=[
            (
                "x.reshape(N, C, H // p, p, W // p, p).permute(0, 2, 4, 1, 3, 5)",
                "x.reshape(N, C, H // p, p, W // p, p).permute(0, 2, 4, 3, 5, 1)",
            )
        ],
        says="Hint: flatten each patch as its (C, p, p) block",
    ),
    WrongAnswer(
        "VisionTransformer",
        "the head reads the mean of the tokens",
        replace=[
            (
                "return self.head(self.norm(z)[:, 0])",
                "return self.head(self.norm(z).mean(dim=1))",
            )
        ],
        says="Hint: the head reads the class token (token 0) only",
    ),
    WrongAnswer(
        "VisionTransformer",
        "a class token that is not learned (a plain tensor)",
        replace=[
            (
                "self.cls_token = nn.Parameter(0.02 * torch.randn(1, 1, d_model))",
                "self.cls_token = 0.02 * torch.randn(1, 1, d_model)",
            )
        ],
        says="Hint: the class token and the positions are learned",
    ),
    WrongAnswer(
        "scaled_dot_product_attention",
        "scaled by d instead of sqrt(d)",
        replace=[("/ math.sqrt(q.shape[-1])", "/ q.shape[-1]")],
        says="Hint: scores = q @ k^T / sqrt(d) with d = 2, then softmax over",
    ),
    WrongAnswer(
        "scaled_dot_product_attention",
        "masks where the mask is True",
        replace=[("scores.masked_fill(~mask,", "scores.masked_fill(mask,")],
        says="Hint: mask True = may attend: fill the scores where the mask is",
    ),
    WrongAnswer(
        "scaled_dot_product_attention",
        "softmax over the queries",
        replace=[
            (
                "weights = torch.softmax(scores, dim=-1)",
                "weights = torch.softmax(scores, dim=-2)",
            )
        ],
        says="Hint: scores = q @ k^T / sqrt(d) with d = 2, then softmax over",
    ),
    WrongAnswer(
        "scaled_dot_product_attention",
        "ignores the mask",
        replace=[('scores = scores.masked_fill(~mask, float("-inf"))', "pass")],
        says="Hint: mask True = may attend: fill the scores where the mask is",
    ),
    WrongAnswer(
        "causal_mask",
        "hides the past instead of the future (the notes' M)",
        replace=[(".tril()", ".triu()")],
        says="Hint: row i (a query) may see columns j <= i: the diagonal and",
    ),
    WrongAnswer(
        "causal_mask",
        "a position may not attend to itself",
        replace=[(".tril()", ".tril(-1)")],
        says="Hint: row i (a query) may see columns j <= i: the diagonal and",
    ),
    WrongAnswer(
        "MultiHeadAttention",
        "scaled by the full embedding size",
        replace=[("/ math.sqrt(E // H)", "/ math.sqrt(E)")],
        says="Hint: split E into num_heads heads of E // num_heads: reshape (N,",
    ),
    WrongAnswer(
        "MultiHeadAttention",
        "splits heads without the transpose",
        replace=[
            (
                "q = self.query(query).reshape(N, S, H, E // H).transpose(1, 2)",
                "q = self.query(query).reshape(N, H, S, E // H)",
            ),
            (
                "k = self.key(key).reshape(N, T, H, E // H).transpose(1, 2)",
                "k = self.key(key).reshape(N, H, T, E // H)",
            ),
            (
                "v = self.value(value).reshape(N, T, H, E // H).transpose(1, 2)",
                "v = self.value(value).reshape(N, H, T, E // H)",
            ),
        ],
        says="Hint: split E into num_heads heads of E // num_heads: reshape (N,",
    ),
    WrongAnswer(
        "MultiHeadAttention",
        "forgets the output projection",
        replace=[("return self.proj(out)", "return out")],
        says="Hint: this is the heads' output before the projection",
    ),
    WrongAnswer(
        "MultiHeadAttention",
        "dropout on the output instead of the weights, always on",
        replace=[
            (
                "weights = self.attn_dropout(torch.softmax(scores, dim=-1))",
                "weights = torch.softmax(scores, dim=-1)",
            ),
            (
                "return self.proj(out)",
                "return F.dropout(self.proj(out), 0.1, training=True)",
            ),
        ],
        says="Hint: two calls in eval mode differ",
    ),
    WrongAnswer(
        "MultiHeadAttention",
        "dropout on the output instead of the weights, only in training mode",
        replace=[
            (
                "weights = self.attn_dropout(torch.softmax(scores, dim=-1))",
                "weights = torch.softmax(scores, dim=-1)",
            ),
            ("return self.proj(out)", "return self.attn_dropout(self.proj(out))"),
        ],
        says="Hint: apply dropout to the attention weights (softmax's output),",
    ),
    WrongAnswer(
        "positional_encoding",
        "sin and cos swapped",
        replace=[
            (
                "pe[:, 0::2] = torch.sin(pos * rate)\n"
                "    pe[:, 1::2] = torch.cos(pos * rate)",
                "pe[:, 0::2] = torch.cos(pos * rate)\n"
                "    pe[:, 1::2] = torch.sin(pos * rate)",
            )
        ],
        says="Hint: column 2i holds sin(pos / 10000^(2i/d)), column 2i+1 the",
    ),
    WrongAnswer(
        "positional_encoding",
        "exponent 2i/d taken as i/d",
        replace=[
            (
                "torch.arange(0, d_model, 2) / d_model)",
                "torch.arange(0, d_model, 2) / (2 * d_model))",
            )
        ],
        says="Hint: column 2i holds sin(pos / 10000^(2i/d)), column 2i+1 the",
    ),
    WrongAnswer(
        "layer_norm",
        "eps outside the square root",
        replace=[("torch.sqrt(var + eps)", "(torch.sqrt(var) + eps)")],
        says="CheckFailed: layer_norm of large values, eps = 0.1:",
    ),
    WrongAnswer(
        "layer_norm",
        "normalises over the batch axis",
        replace=[
            (
                "mean = x.mean(dim=-1, keepdim=True)\n"
                "    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)",
                "mean = x.mean(dim=0, keepdim=True)\n"
                "    var = ((x - mean) ** 2).mean(dim=0, keepdim=True)",
            )
        ],
        says="Hint: mean and biased variance over the last dimension",
    ),
    WrongAnswer(
        "layer_norm",
        "unbiased variance",
        replace=[
            (
                "var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)",
                "var = x.var(dim=-1, keepdim=True)",
            )
        ],
        says="Hint: mean and biased variance over the last dimension",
    ),
    WrongAnswer(
        "TransformerBlock",
        "the notes' encoder: the second residual adds the block's input",
        replace=[
            (
                "x = self.norm1(x + self.drop(self.attn(x, x, x, attn_mask)))\n"
                "        return self.norm2(x + self.drop(self.ffn(x)))",
                "y = self.norm1(x + self.drop(self.attn(x, x, x, attn_mask)))\n"
                "        return self.norm2(x + self.drop(self.ffn(y)))",
            )
        ],
        says="Hint: pre-norm: x + attn(norm1(x)), then + ffn(norm2(x));",
    ),
    WrongAnswer(
        "TransformerBlock",
        "pre-norm without the residual around the attention",
        replace=[
            (
                "x = x + self.drop(self.attn(y, y, y, attn_mask))",
                "x = self.drop(self.attn(y, y, y, attn_mask))",
            )
        ],
        says="Hint: pre-norm: x + attn(norm1(x)), then + ffn(norm2(x));",
    ),
    WrongAnswer(
        "TransformerBlock",
        "ignores the mask",
        replace=[
            (
                "x = x + self.drop(self.attn(y, y, y, attn_mask))",
                "x = x + self.drop(self.attn(y, y, y))",
            ),
            (
                "x = self.norm1(x + self.drop(self.attn(x, x, x, attn_mask)))",
                "x = self.norm1(x + self.drop(self.attn(x, x, x)))",
            ),
        ],
        says="Hint: pre-norm: x + attn(norm1(x)), then + ffn(norm2(x));",
    ),
    WrongAnswer(
        "label_smoothing_loss",
        "smooths over V - 1 classes but keeps 1 - eps at the target",
        replace=[
            (
                "q.scatter_(-1, target[:, None], 1 - eps + eps / V)",
                "q.scatter_(-1, target[:, None], 1 - eps)",
            )
        ],
        says="Hint: q = eps / V everywhere, plus 1 - eps at the target; loss =",
    ),
    WrongAnswer(
        "label_smoothing_loss",
        "sums over the batch",
        replace=[
            ("return -(q * log_p).sum(dim=-1).mean()", "return -(q * log_p).sum()")
        ],
        says="Hint: q = eps / V everywhere, plus 1 - eps at the target; loss =",
    ),
    WrongAnswer(
        "label_smoothing_loss",
        "log of the logits instead of log_softmax",
        replace=[
            (
                "log_p = torch.log_softmax(logits, dim=-1)",
                "log_p = torch.log(torch.softmax(logits, dim=-1) + 1e-3)",
            )
        ],
        says="Hint: q = eps / V everywhere, plus 1 - eps at the target; loss =",
    ),
    WrongAnswer(
        "TinyTransformerLM",
        "no causal mask",
        replace=[("            x = block(x, mask)", "            x = block(x)")],
        says="Hint: embed(idx) + pe[:T], the blocks with the causal mask, the",
    ),
    WrongAnswer(
        "TinyTransformerLM",
        "forgets the positional encoding",
        replace=[("x = self.embed(idx) + self.pe[:T]", "x = self.embed(idx)")],
        says="Hint: embed(idx) + pe[:T], the blocks with the causal mask, the",
    ),
    WrongAnswer(
        "TinyTransformerLM",
        "no final layer norm",
        replace=[("return self.head(self.norm(x))", "return self.head(x)")],
        says="Hint: embed(idx) + pe[:T], the blocks with the causal mask, the",
    ),
    WrongAnswer(
        "TinyTransformerLM",
        "forgets the positional encoding",
        replace=[("x = self.embed(idx) + self.pe[:T]", "x = self.embed(idx)")],
        says="Hint: embed(idx) + pe[:T], the blocks with the causal mask",
    ),
    WrongAnswer(
        "DecoderBlock",
        "cross-attention to itself instead of to memory",
        replace=[
            (
                "self.cross_attn(self.norm2(x), memory, memory,",
                "self.cross_attn(self.norm2(x), self.norm2(x), self.norm2(x),",
            ),
            (
                "self.cross_attn(x, memory, memory, memory_mask)",
                "self.cross_attn(x, x, x, memory_mask)",
            ),
        ],
        says="then + cross_attn(norm2(x), memory, memory), then + ffn(norm3(x))",
    ),
    WrongAnswer(
        "DecoderBlock",
        "cross-attention with the roles swapped (queries from memory)",
        replace=[
            (
                "self.cross_attn(self.norm2(x), memory, memory,",
                "self.cross_attn(memory, self.norm2(x), self.norm2(x),",
            ),
            (
                "self.cross_attn(x, memory, memory, memory_mask)",
                "self.cross_attn(memory, x, x, memory_mask)",
            ),
        ],
        says="Hint: the sizes 5 (x's length T) and 7 (memory's S) meet",
    ),
    WrongAnswer(
        "DecoderBlock",
        "the two masks swapped between the sub-layers",
        replace=[
            (
                "self.self_attn(y, y, y, self_mask)",
                "self.self_attn(y, y, y, memory_mask)",
            ),
            (
                "memory, memory," + PAD + "memory_mask)",
                "memory, memory," + PAD + "self_mask)",
            ),
            (
                "self.self_attn(x, x, x, self_mask)",
                "self.self_attn(x, x, x, memory_mask)",
            ),
            (
                "self.cross_attn(x, memory, memory, memory_mask)",
                "self.cross_attn(x, memory, memory, self_mask)",
            ),
        ],
        says="Hint: the self-mask (T, T) goes to the self-attention",
    ),
    WrongAnswer(
        "DecoderBlock",
        "normalises the memory too",
        replace=[
            (
                "self.cross_attn(self.norm2(x), memory, memory,",
                "self.cross_attn(self.norm2(x), self.norm2(memory),\n"
                "                                              self.norm2(memory),",
            )
        ],
        says="then + cross_attn(norm2(x), memory, memory), then + ffn(norm3(x))",
    ),
    WrongAnswer(
        "DecoderBlock",
        "always pre-norm",
        replace=[
            (
                "        if self.norm_first:\n            y = self.norm1(x)",
                "        if True:\n            y = self.norm1(x)",
            )
        ],
        says="post-norm: norm1(x + ...), norm2(x + ...), norm3(x + ...).",
    ),
    WrongAnswer(
        "DecoderBlock",
        "ignores memory_mask",
        replace=[
            (
                "memory,\n                                              memory_mask))",
                "memory,\n                                              None))",
            ),
            (
                "self.cross_attn(x, memory, memory, memory_mask)",
                "self.cross_attn(x, memory, memory, None)",
            ),
        ],
        says="Hint: memory_mask has no effect on the output",
    ),
    WrongAnswer(
        "DecoderBlock",
        "no dropout at all",
        replace=[
            (
                "self.self_attn = MultiHeadAttention(d_model, num_heads, dropout)",
                "self.self_attn = MultiHeadAttention(d_model, num_heads)",
            ),
            (
                "self.cross_attn = MultiHeadAttention(d_model, num_heads, dropout)",
                "self.cross_attn = MultiHeadAttention(d_model, num_heads)",
            ),
            ("self.drop = nn.Dropout(dropout)", "self.drop = nn.Identity()"),
        ],
        says="Hint: nn.Dropout after each of the three sub-layers.",
    ),
]


# (hidden test, the hint's first words) -> why no typical wrong answer shows it.
HINTS_NO_CASE_REACHES = {
    (
        "test_VisionTransformer_hidden",
        "make it an nn.Parameter and use it in forward.",
    ): (
        "a class token or positions that are not nn.Parameters fail the visible "
        "test first (it checks their type); this check guards answers that detach "
        "them in forward (.data, or a copy), which no typical mistake does"
    ),
    ("test_TinyTransformerLM_hidden", "add the positional encoding"): (
        "the visible test compares the logits with the reference first, and its "
        "hint names embed(idx) + pe[:T]; the case 'forgets the positional "
        "encoding' shows that one."
    ),
}
