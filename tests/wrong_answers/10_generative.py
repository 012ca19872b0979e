"""Typical wrong answers for unit 10_generative; each must lose points in its own
tests only (see wrong_answer.WrongAnswer)."""

from wrong_answer import WrongAnswer

DEPENDS_ON: dict[str, set[str]] = {}

CASES = [
    WrongAnswer(
        "vae_reparameterize",
        "sigma taken as the variance exp(log_var)",
        replace=[("torch.exp(0.5 * log_var)", "torch.exp(log_var)")],
        says="Hint: sigma is the square root of the variance",
    ),
    WrongAnswer(
        "vae_reparameterize",
        "log_var used as sigma without exponentiating",
        replace=[("sigma = torch.exp(0.5 * log_var)", "sigma = log_var")],
        says="Hint: log_var is a logarithm",
    ),
    WrongAnswer(
        "gaussian_kl",
        "the 1/2 of the closed form dropped",
        replace=[("per_dim = 0.5 * (", "per_dim = (")],
        says="Hint: the closed form has a factor 1/2.",
    ),
    WrongAnswer(
        "gaussian_kl",
        "averaged over the latent dimensions too",
        replace=[("return per_dim.sum(dim=1).mean()", "return per_dim.mean()")],
        says="(you averaged both)",
    ),
    WrongAnswer(
        "gaussian_kl",
        "the sign flipped",
        replace=[
            ("return per_dim.sum(dim=1).mean()", "return -per_dim.sum(dim=1).mean()")
        ],
        says="positive: check the sign.",
    ),
    WrongAnswer(
        "vae_loss",
        "the cross-entropy averaged over the pixels",
        replace=[("bce.flatten(start_dim=1).sum(dim=1).mean()", "bce.mean()")],
        says="Hint: sum the cross-entropy over the pixels",
    ),
    WrongAnswer(
        "vae_loss",
        "the KL subtracted",
        replace=[("reconstruction + gaussian_kl(", "reconstruction - gaussian_kl(")],
        says="Hint: the loss is the reconstruction term PLUS the KL.",
    ),
    WrongAnswer(
        "vae_loss",
        "log of a sigmoid, which overflows for confident logits",
        replace=[
            (
                "bce = F.binary_cross_entropy_with_logits(recon_logits, x, "
                'reduction="none")',
                "p = torch.sigmoid(recon_logits)\n"
                "    bce = -(x * torch.log(p) + (1 - x) * torch.log(1 - p))",
            )
        ],
        says="Hint: use a stable form",
    ),
    WrongAnswer(
        "ddpm_schedule",
        "the linear schedule not scaled by 1000 / T",
        replace=[("scale = 1000 / T", "scale = 1.0")],
        says="Hint: scale both ends by 1000 / T",
    ),
    WrongAnswer(
        "ddpm_schedule",
        "alpha_bars as 1 - betas, without the product",
        replace=[("alpha_bars = torch.cumprod(alphas, dim=0)", "alpha_bars = alphas")],
        says="Hint: alpha_bars[t] is the PRODUCT",
    ),
    WrongAnswer(
        "ddpm_schedule",
        "the cosine schedule one step late (alpha_bars[0] = 1)",
        replace=[
            (
                "betas = 1 - f[1:] / f[:-1]",
                "betas = 1 - f[:-1] / torch.cat([f[:1], f[:-2]])",
            )
        ],
        says="Hint: alpha_bars[t] = f(t + 1) / f(0)",
    ),
    WrongAnswer(
        "ddpm_schedule",
        "the betas not clipped",
        replace=[("    betas = torch.clamp(betas, max=0.999)\n", "")],
        says="clipped at 0.999",
    ),
    WrongAnswer(
        "q_sample",
        "weights without square roots",
        replace=[
            (
                "torch.sqrt(a) * x0 + torch.sqrt(1 - a) * noise",
                "a * x0 + (1 - a) * noise",
            )
        ],
        says="Hint: the weights are square roots",
    ),
    WrongAnswer(
        "q_sample",
        "alpha_bars[t] not reshaped to broadcast",
        replace=[("    a = a.view(-1, *[1] * (x0.dim() - 1))\n", "")],
        says="reshape alpha_bars[t] to (N, 1, ..., 1)",
    ),
    WrongAnswer(
        "ddpm_loss",
        "the model shown the clean images",
        replace=[
            ("F.mse_loss(model(x_t, t), noise)", "F.mse_loss(model(x0, t), noise)")
        ],
        says="Hint: the model's input is x_t",
    ),
    WrongAnswer(
        "ddpm_loss",
        "the squared errors summed",
        replace=[
            (
                "F.mse_loss(model(x_t, t), noise)",
                'F.mse_loss(model(x_t, t), noise, reduction="sum")',
            )
        ],
        says="Hint: the MEAN squared error",
    ),
    WrongAnswer(
        "p_sample_step",
        "divided by sqrt(alpha_bar_t) instead of sqrt(alpha_t)",
        replace=[
            (
                "mean = (x_t - beta / math.sqrt(1 - alpha_bar) * eps) / "
                "math.sqrt(alpha)",
                "mean = (x_t - beta / math.sqrt(1 - alpha_bar) * eps) / "
                "math.sqrt(alpha_bar)",
            )
        ],
        says="Hint: divide the bracket by sqrt(alpha_t)",
    ),
    WrongAnswer(
        "p_sample_step",
        "noise scaled by the variance beta_t",
        replace=[
            ("return mean + math.sqrt(beta) * noise", "return mean + beta * noise")
        ],
        says="Hint: add sqrt(beta_t) * noise",
    ),
    WrongAnswer(
        "p_sample_step",
        "noise added at t = 0 too",
        replace=[("    if t == 0:\n        return mean\n", "")],
        says="Hint: the last step (t = 0) returns the mean alone",
    ),
    WrongAnswer(
        "ddpm_sample",
        "the steps taken forwards, from t = 0 up",
        replace=[("for t in range(T - 1, -1, -1):", "for t in range(T):")],
        says="go from t = T - 1 down to 0",
    ),
    WrongAnswer(
        "ddpm_sample",
        "one noise drawn once and reused at every step",
        replace=[
            (
                "            if t > 0:\n"
                "                noise = torch.randn(shape, generator=generator, "
                "device=where)\n"
                "            else:\n"
                "                noise = torch.zeros(shape, device=where)\n",
                "            if t == T - 1:\n"
                "                noise = torch.randn(shape, generator=generator, "
                "device=where)\n",
            )
        ],
        says="then one noise per step t > 0",
    ),
    WrongAnswer(
        "nt_xent_loss",
        "the anchor kept in its own denominator",
        replace=[('    logits = logits.masked_fill(self_mask, float("-inf"))\n', "")],
        says="Hint: leave the anchor itself out of the denominator",
    ),
    WrongAnswer(
        "nt_xent_loss",
        "the temperature left out",
        replace=[("logits = z @ z.T / temperature", "logits = z @ z.T")],
        says="Hint: divide the similarities by the temperature.",
    ),
    WrongAnswer(
        "nt_xent_loss",
        "the embeddings not normalised",
        replace=[
            (
                "z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)",
                "z = torch.cat([z1, z2], dim=0)",
            )
        ],
        says="Hint: normalise each embedding to length 1",
    ),
    WrongAnswer(
        "linear_probe_accuracy",
        "the count of correct test rows, not the fraction",
        replace=[(".double().mean().item()", ".double().sum().item()")],
        says="return a float fraction",
    ),
    WrongAnswer(
        "linear_probe_accuracy",
        "a constant feature divided by its zero standard deviation",
        replace=[("    std = torch.where(std > 0, std, torch.ones_like(std))\n", "")],
        says="Hint: a feature with standard deviation 0",
    ),
    WrongAnswer(
        "linear_probe_accuracy",
        "the probe fitted on the test rows",
        replace=[
            (
                "loss = F.cross_entropy(X @ W + b, y)",
                "loss = F.cross_entropy(X_test @ W + b, "
                "torch.as_tensor(y_test).long())",
            )
        ],
        says="Hint: fit on the training rows and labels only",
    ),
]

_VISIBLE_FIRST = (
    "every typical mistake this hint names fails the visible test first, with a "
    "hint that names it; the hidden check restates it for an answer that passes "
    "the visible cases and fails these."
)
# (hidden test, the hint's first words) -> why no typical wrong answer shows it.
HINTS_NO_CASE_REACHES = {
    ("test_vae_reparameterize_hidden", "log_var = 0 means sigma = 1"): _VISIBLE_FIRST,
    ("test_ddpm_schedule_hidden", "clip each beta at 0.999"): (
        "an unclipped schedule already fails the alpha_bars check just before, whose "
        "hint names the clipping too."
    ),
    ("test_q_sample_hidden", "alpha_bars[t] is the product"): (
        "q_sample is handed alpha_bars and cannot get the product wrong itself; an "
        "answer that noises by another rule fails the visible closed-form check "
        "first."
    ),
    ("test_ddpm_loss_hidden", "call model(x_t, t) with the same t"): _VISIBLE_FIRST,
    ("test_p_sample_step_hidden", "model(x_t, steps) with steps"): _VISIBLE_FIRST,
    ("test_ddpm_sample_hidden", "every step from t = T - 1 down"): _VISIBLE_FIRST,
    ("test_nt_xent_loss_hidden", "the denominator has 2N - 1 terms"): _VISIBLE_FIRST,
    ("test_nt_xent_loss_hidden", "leave the anchor out of its own"): _VISIBLE_FIRST,
    ("test_nt_xent_loss_hidden", "L2-normalise every embedding"): _VISIBLE_FIRST,
}
