"""Typical wrong answers for unit 09_attention; each must lose points in its own
tests only (see wrong_answer.WrongAnswer)."""

from wrong_answer import WrongAnswer

# The demos after each answer use it; the graded tests of later answers swap in
# lib's references, so no answer's tests depend on another's.
DEPENDS_ON: dict[str, set[str]] = {}

CASES = [
    WrongAnswer(
        "scaled_dot_product_attention",
        "scaled by d instead of sqrt(d)",
        replace=[("/ math.sqrt(q.shape[-1])", "/ q.shape[-1]")],
    ),
    WrongAnswer(
        "scaled_dot_product_attention",
        "masks where the mask is True",
        replace=[("scores.masked_fill(~mask,", "scores.masked_fill(mask,")],
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
    ),
    WrongAnswer(
        "scaled_dot_product_attention",
        "ignores the mask",
        replace=[('scores = scores.masked_fill(~mask, float("-inf"))', "pass")],
    ),
    WrongAnswer(
        "causal_mask",
        "hides the past instead of the future (the notes' M)",
        replace=[(".tril()", ".triu()")],
    ),
    WrongAnswer(
        "causal_mask",
        "a position may not attend to itself",
        replace=[(".tril()", ".tril(-1)")],
    ),
    WrongAnswer(
        "MultiHeadAttention",
        "scaled by the full embedding size",
        replace=[("/ math.sqrt(E // H)", "/ math.sqrt(E)")],
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
    ),
    WrongAnswer(
        "MultiHeadAttention",
        "forgets the output projection",
        replace=[("return self.proj(out)", "return out")],
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
    ),
    WrongAnswer(
        "layer_norm",
        "eps outside the square root",
        replace=[("torch.sqrt(var + eps)", "(torch.sqrt(var) + eps)")],
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
    ),
    WrongAnswer(
        "label_smoothing_loss",
        "sums over the batch",
        replace=[
            ("return -(q * log_p).sum(dim=-1).mean()", "return -(q * log_p).sum()")
        ],
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
    ),
    WrongAnswer(
        "TinyTransformerLM",
        "no causal mask",
        replace=[("            x = block(x, mask)", "            x = block(x)")],
    ),
    WrongAnswer(
        "TinyTransformerLM",
        "forgets the positional encoding",
        replace=[("x = self.embed(idx) + self.pe[:T]", "x = self.embed(idx)")],
    ),
    WrongAnswer(
        "TinyTransformerLM",
        "no final layer norm",
        replace=[("return self.head(self.norm(x))", "return self.head(x)")],
    ),
]
