"""Unit 10's references (lib/generative.py) against independent oracles:
torch.distributions, Monte Carlo estimates, step-by-step noising, the DDPM
posterior's closed form, a loop over anchors, and scikit-learn."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lib import generative as gen


def _rng(seed=0):
    return torch.Generator().manual_seed(seed)


def test_reparameterize_is_a_sample_with_gradients_to_mu_and_log_var():
    mu = torch.randn(5, 3, generator=_rng(), dtype=torch.float64, requires_grad=True)
    log_var = torch.randn(5, 3, generator=_rng(1), dtype=torch.float64)
    log_var.requires_grad_(True)
    eps = torch.randn(5, 3, generator=_rng(2), dtype=torch.float64)
    z = gen.vae_reparameterize(mu, log_var, eps)
    torch.testing.assert_close(z, mu + log_var.exp().sqrt() * eps)
    z.sum().backward()
    torch.testing.assert_close(mu.grad, torch.ones_like(mu))
    torch.testing.assert_close(log_var.grad, 0.5 * (0.5 * log_var).exp() * eps)


def test_kl_matches_torch_distributions_and_a_monte_carlo_estimate():
    mu = torch.randn(4, 6, generator=_rng(), dtype=torch.float64)
    log_var = 0.5 * torch.randn(4, 6, generator=_rng(1), dtype=torch.float64)
    q = torch.distributions.Normal(mu, (0.5 * log_var).exp())
    p = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
    exact = torch.distributions.kl_divergence(q, p).sum(dim=1).mean()
    torch.testing.assert_close(gen.gaussian_kl(mu, log_var), exact)
    z = q.sample((200_000,))  # (S, 4, 6)
    estimates = (q.log_prob(z) - p.log_prob(z)).sum(dim=2).mean(dim=1)
    spread = estimates.std() / math.sqrt(len(estimates))
    assert abs(float(estimates.mean() - exact)) < 4 * float(spread)


def test_vae_loss_is_bernoulli_log_likelihood_plus_kl():
    x = torch.rand(3, 1, 4, 4, generator=_rng(), dtype=torch.float64).round()
    logits = torch.randn(3, 1, 4, 4, generator=_rng(1), dtype=torch.float64)
    mu = torch.randn(3, 2, generator=_rng(2), dtype=torch.float64)
    log_var = torch.randn(3, 2, generator=_rng(3), dtype=torch.float64)
    bernoulli = torch.distributions.Bernoulli(logits=logits)
    nll = -bernoulli.log_prob(x).reshape(3, -1).sum(dim=1).mean()
    expected = nll + gen.gaussian_kl(mu, log_var)
    torch.testing.assert_close(gen.vae_loss(x, logits, mu, log_var), expected)


@pytest.mark.parametrize("kind", ["linear", "cosine"])
def test_schedules_run_from_signal_to_noise(kind):
    s = gen.ddpm_schedule(100, kind)
    assert {len(v) for v in s.values()} == {100}
    torch.testing.assert_close(s["alphas"], 1 - s["betas"])
    torch.testing.assert_close(s["alpha_bars"], torch.cumprod(s["alphas"], 0))
    torch.testing.assert_close(s["snr"], s["alpha_bars"] / (1 - s["alpha_bars"]))
    assert (s["betas"] > 0).all() and (s["betas"] <= gen.MAX_BETA).all()
    assert (s["alpha_bars"].diff() < 0).all()
    assert s["alpha_bars"][0] > 0.97 and s["alpha_bars"][-1] < 1e-3


def test_the_schedules_formulas():
    linear = gen.ddpm_schedule(1000, "linear")["betas"]
    assert float(linear[0]) == pytest.approx(1e-4) and float(linear[-1]) == 0.02
    cosine = gen.ddpm_schedule(50, "cosine")["alpha_bars"]

    def f(u):
        return math.cos((u / 50 + 0.008) / 1.008 * math.pi / 2) ** 2

    unclipped = [f(t + 1) / f(0) for t in range(49)]  # the last beta is clipped
    np.testing.assert_allclose(cosine[:49].numpy(), unclipped, rtol=1e-10)


def test_q_sample_matches_noising_step_by_step_in_distribution():
    """x_t in closed form has the mean and variance of t + 1 single steps
    x_s = sqrt(alpha_s) x_{s-1} + sqrt(beta_s) eps."""
    s = gen.ddpm_schedule(20, "linear")
    x0 = torch.full((100_000, 1), 1.5, dtype=torch.float64)
    t = 12
    x = x0.clone()
    g = _rng(5)
    for step in range(t + 1):
        eps = torch.randn(x.shape, generator=g, dtype=torch.float64)
        x = s["alphas"][step].sqrt() * x + s["betas"][step].sqrt() * eps
    closed = gen.q_sample(
        x0,
        torch.full((len(x0),), t),
        torch.randn(x0.shape, generator=g, dtype=torch.float64),
        s["alpha_bars"],
    )
    ab = float(s["alpha_bars"][t])
    for sample in (x, closed):
        assert float(sample.mean()) == pytest.approx(1.5 * math.sqrt(ab), abs=0.01)
        assert float(sample.var()) == pytest.approx(1 - ab, abs=0.01)


def _oracle(x0, alpha_bars):
    """A model that knows x0: its noise guess is exact."""

    def model(x_t, t):
        a = alpha_bars[t].reshape(-1, *([1] * (x_t.dim() - 1))).to(x_t.dtype)
        return (x_t - a.sqrt() * x0) / (1 - a).sqrt()

    return model


def test_ddpm_loss_is_zero_for_an_exact_model_and_the_noise_energy_for_zero():
    s = gen.ddpm_schedule(30, "cosine")
    x0 = torch.randn(8, 1, 4, 4, generator=_rng(), dtype=torch.float64)
    noise = torch.randn(8, 1, 4, 4, generator=_rng(1), dtype=torch.float64)
    t = torch.randint(0, 30, (8,), generator=_rng(2))
    loss = gen.ddpm_loss(_oracle(x0, s["alpha_bars"]), x0, t, noise, s["alpha_bars"])
    assert float(loss) < 1e-20
    zero = gen.ddpm_loss(
        lambda x, t: torch.zeros_like(x), x0, t, noise, s["alpha_bars"]
    )
    torch.testing.assert_close(zero, (noise**2).mean())


def test_a_reverse_step_has_the_posterior_mean_of_ddpm():
    """With the exact noise, the step's mean is the mean of q(x_{t-1} | x_t, x0):
    sqrt(ab_{t-1}) beta_t / (1 - ab_t) x0 + sqrt(alpha_t) (1 - ab_{t-1}) /
    (1 - ab_t) x_t."""
    s = gen.ddpm_schedule(40, "linear")
    x0 = torch.randn(6, 3, generator=_rng(), dtype=torch.float64)
    x_t = torch.randn(6, 3, generator=_rng(1), dtype=torch.float64)
    for t in (1, 17, 39):
        ab, ab_prev = s["alpha_bars"][t], s["alpha_bars"][t - 1]
        beta, alpha = s["betas"][t], s["alphas"][t]
        posterior = (ab_prev.sqrt() * beta / (1 - ab)) * x0 + (
            alpha.sqrt() * (1 - ab_prev) / (1 - ab)
        ) * x_t
        step = gen.p_sample_step(
            _oracle(x0, s["alpha_bars"]), x_t, t, s, torch.zeros_like(x_t)
        )
        torch.testing.assert_close(step, posterior)
        noise = torch.ones_like(x_t)
        noisy = gen.p_sample_step(_oracle(x0, s["alpha_bars"]), x_t, t, s, noise)
        torch.testing.assert_close(noisy - step, beta.sqrt() * noise)
    last = gen.p_sample_step(_oracle(x0, s["alpha_bars"]), x_t, 0, s, x_t * 9)
    torch.testing.assert_close(last, x0)  # no noise at t = 0, and x0 recovered


def test_the_sampler_lands_on_a_known_point_and_draws_in_order():
    s = gen.ddpm_schedule(25, "cosine")
    target = torch.tensor([[0.5, -1.0]], dtype=torch.float64).expand(4, 2)
    samples = gen.ddpm_sample(_oracle(target, s["alpha_bars"]), (4, 2), s, _rng(7))
    torch.testing.assert_close(samples.double(), target, atol=1e-6, rtol=0)
    seen = []

    def spy(x, t):
        seen.append((int(t[0]), x.clone()))
        return torch.zeros_like(x)

    g = _rng(3)
    gen.ddpm_sample(spy, (2, 2), s, g)
    assert [t for t, _ in seen] == list(range(24, -1, -1))
    torch.testing.assert_close(seen[0][1], torch.randn((2, 2), generator=_rng(3)))
    again = _rng(3)
    for _ in range(25):  # x_T, then the noise of the 24 steps t > 0
        torch.randn((2, 2), generator=again)
    assert torch.equal(
        torch.randn((2, 2), generator=g), torch.randn((2, 2), generator=again)
    )


def _nt_xent_loop(z1, z2, temperature):
    z = torch.nn.functional.normalize(torch.cat([z1, z2]), dim=1)
    n2 = len(z)
    total = 0.0
    for i in range(n2):
        j = (i + n2 // 2) % n2
        others = [k for k in range(n2) if k != i]
        logits = torch.stack([z[i] @ z[k] for k in others]) / temperature
        total += -(z[i] @ z[j] / temperature - torch.logsumexp(logits, 0))
    return total / n2


def test_nt_xent_matches_a_loop_over_anchors_and_its_limits():
    z1 = torch.randn(5, 8, generator=_rng(), dtype=torch.float64)
    z2 = torch.randn(5, 8, generator=_rng(1), dtype=torch.float64)
    for tau in (0.1, 0.5, 2.0):
        torch.testing.assert_close(
            gen.nt_xent_loss(z1, z2, tau), _nt_xent_loop(z1, z2, tau)
        )
    # Very high temperature: every other embedding equally likely, log(2N - 1).
    assert float(gen.nt_xent_loss(z1, z2, 1e6)) == pytest.approx(math.log(9), abs=1e-4)
    # Identical views, orthogonal examples, low temperature: the loss vanishes.
    eye = torch.eye(5, dtype=torch.float64)
    assert float(gen.nt_xent_loss(eye, eye, 0.01)) < 1e-30


def test_linear_probe_agrees_with_scikit_learn():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 10)) * 2
    y = rng.integers(0, 4, 400)
    X = centres[y] + rng.normal(size=(400, 10)) * 1.5
    ours = gen.linear_probe_accuracy(X[:300], y[:300], X[300:], y[300:])
    theirs = (
        LogisticRegression(max_iter=2000).fit(X[:300], y[:300]).score(X[300:], y[300:])
    )
    assert abs(ours - theirs) <= 0.03, (ours, theirs)
