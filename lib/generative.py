"""Reference generative and self-supervised models (unit 10; graded answers may not
call them): a VAE's sampling and loss, a DDPM's schedules, noising, loss and
sampler, SimCLR's NT-Xent loss, and a linear probe.

Shapes: N examples; images (N, C, H, W) or flat (N, D); latent codes (N, K).
Tensors are torch tensors; every function works on any device.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

COSINE_OFFSET = 0.008  # s in Nichol & Dhariwal's cosine schedule
MAX_BETA = 0.999


def vae_reparameterize(mu, log_var, eps):
    """z = mu + sigma * eps with sigma = exp(log_var / 2): a sample of N(mu,
    sigma^2) through which gradients reach mu and log_var."""
    return mu + torch.exp(0.5 * log_var) * eps


def gaussian_kl(mu, log_var):
    """KL(N(mu, sigma^2) || N(0, 1)) summed over the latent dimensions, averaged
    over the batch: 1/2 sum(mu^2 + sigma^2 - log sigma^2 - 1)."""
    per_example = 0.5 * (mu**2 + log_var.exp() - log_var - 1).sum(dim=1)
    return per_example.mean()


def vae_loss(x, recon_logits, mu, log_var):
    """The negative ELBO per example, averaged over the batch: Bernoulli
    reconstruction (binary cross-entropy of the logits against pixels x in [0, 1],
    summed over the pixels) plus the KL term."""
    recon = F.binary_cross_entropy_with_logits(recon_logits, x, reduction="none")
    recon = recon.reshape(len(x), -1).sum(dim=1).mean()
    return recon + gaussian_kl(mu, log_var)


def ddpm_schedule(T: int, kind: str = "linear") -> dict:
    """The noise schedule of T steps, as float64 tensors of length T.

    'linear': betas evenly spaced from 1e-4 * 1000 / T to 0.02 * 1000 / T (Ho et
    al.'s schedule for 1,000 steps, scaled so that T steps destroy as much signal).
    'cosine': alpha_bars[t] = f(t + 1) / f(0) with f(u) = cos^2(pi/2 * (u / T + s)
    / (1 + s)), s = 0.008, so betas = 1 - f(t + 1) / f(t) (Nichol & Dhariwal).
    Every beta is clipped at 0.999 (the last cosine one is 1 without it, and the
    linear ones pass 1 for T < 20). Then alphas = 1 - betas, alpha_bars their
    running product, and snr = alpha_bars / (1 - alpha_bars), the signal-to-noise
    ratio of x_t.
    """
    if kind == "linear":
        scale = 1000.0 / T
        betas = torch.linspace(scale * 1e-4, scale * 0.02, T, dtype=torch.float64)
    elif kind == "cosine":
        u = torch.arange(T + 1, dtype=torch.float64)
        f = torch.cos((u / T + COSINE_OFFSET) / (1 + COSINE_OFFSET) * math.pi / 2) ** 2
        betas = 1 - f[1:] / f[:-1]
    else:
        raise ValueError(f"kind must be 'linear' or 'cosine', got {kind!r}")
    betas = betas.clamp(max=MAX_BETA)
    alphas = 1 - betas
    alpha_bars = torch.cumprod(alphas, dim=0)
    return {
        "betas": betas,
        "alphas": alphas,
        "alpha_bars": alpha_bars,
        "snr": alpha_bars / (1 - alpha_bars),
    }


def _per_example(values, t, like):
    """values[t] shaped (N, 1, ..., 1) to broadcast against ``like``."""
    picked = values.to(like.device)[t].to(like.dtype)
    return picked.reshape(-1, *([1] * (like.dim() - 1)))


def q_sample(x0, t, noise, alpha_bars):
    """x_t = sqrt(alpha_bars[t]) x0 + sqrt(1 - alpha_bars[t]) noise, with t an
    (N,) integer tensor: one step per example."""
    a = _per_example(alpha_bars, t, x0)
    return a.sqrt() * x0 + (1 - a).sqrt() * noise


def ddpm_loss(model, x0, t, noise, alpha_bars):
    """Mean squared error between ``noise`` and model(x_t, t), the model's guess
    of the noise in x_t = q_sample(x0, t, noise, alpha_bars)."""
    return F.mse_loss(model(q_sample(x0, t, noise, alpha_bars), t), noise)


def p_sample_step(model, x_t, t: int, schedule: dict, noise):
    """One reverse step from x_t to x_{t-1} at the step t (an int, the same for
    the whole batch): the mean 1/sqrt(alpha_t) (x_t - beta_t / sqrt(1 -
    alpha_bar_t) eps), eps = model(x_t, t as an (N,) tensor), plus sqrt(beta_t)
    noise; no noise at t = 0."""
    beta = float(schedule["betas"][t])
    alpha = float(schedule["alphas"][t])
    alpha_bar = float(schedule["alpha_bars"][t])
    steps = torch.full((len(x_t),), t, dtype=torch.long, device=x_t.device)
    eps = model(x_t, steps)
    mean = (x_t - beta / math.sqrt(1 - alpha_bar) * eps) / math.sqrt(alpha)
    if t == 0:
        return mean
    return mean + math.sqrt(beta) * noise


def ddpm_sample(model, shape, schedule: dict, generator):
    """Samples of ``shape``: x_T from N(0, I), then T reverse steps from t = T - 1
    to 0. Every draw comes from ``generator``, on its device, in this order: x_T,
    then the noise of each step t > 0 (torch.randn(shape, generator=generator,
    device=generator.device) each time); the last step draws nothing."""
    device = generator.device
    x = torch.randn(shape, generator=generator, device=device)
    with torch.no_grad():
        for t in reversed(range(len(schedule["betas"]))):
            noise = (
                torch.randn(shape, generator=generator, device=device)
                if t > 0
                else torch.zeros(shape, device=device)
            )
            x = p_sample_step(model, x, t, schedule, noise)
    return x


def nt_xent_loss(z1, z2, temperature: float):
    """SimCLR's NT-Xent loss of two views (N, D) of the same N examples: the 2N
    embeddings are L2-normalised, each is an anchor whose positive is the other
    view of its example and whose negatives are the other 2N - 2 embeddings, and
    the loss is the cross-entropy of the positive among the 2N - 1 others, with
    cosine similarities divided by ``temperature``, averaged over the 2N
    anchors."""
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    n = len(z1)
    sims = z @ z.T / temperature
    sims = sims.masked_fill(
        torch.eye(2 * n, dtype=torch.bool, device=z.device), -math.inf
    )
    positives = torch.cat([torch.arange(n, 2 * n), torch.arange(n)]).to(z.device)
    return F.cross_entropy(sims, positives)


def linear_probe_accuracy(features_train, y_train, features_test, y_test, steps=300):
    """Accuracy on the test rows of a softmax regression trained on frozen
    training features: features standardised with the training rows' mean and
    standard deviation (1 for a constant feature), L-BFGS on the cross-entropy
    plus 1e-4 times the squared weights, from zero weights, in float64."""
    X = torch.as_tensor(features_train).double().cpu()
    Xt = torch.as_tensor(features_test).double().cpu()
    y = torch.as_tensor(y_train).long().cpu()
    mean, std = X.mean(dim=0), X.std(dim=0)
    std = torch.where(std > 0, std, torch.ones_like(std))
    X, Xt = (X - mean) / std, (Xt - mean) / std
    classes = int(y.max()) + 1  # the training labels only
    W = torch.zeros(X.shape[1], classes, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(classes, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([W, b], max_iter=steps, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(X @ W + b, y) + 1e-4 * (W**2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    with torch.no_grad():
        predicted = (Xt @ W + b).argmax(dim=1)
    return float((predicted == torch.as_tensor(y_test).cpu()).double().mean())
