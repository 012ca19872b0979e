"""Data augmentation for torch image batches (N, C, H, W)."""

from __future__ import annotations


def random_shift(images, generator, max_shift: int = 2):
    """The batch moved by one random offset of up to ``max_shift`` pixels in each
    direction; the border is extended by repeating the edge pixels."""
    import torch
    import torch.nn.functional as F

    if max_shift == 0:
        return images
    k = max_shift
    padded = F.pad(images, (k, k, k, k), mode="replicate")
    i, j = torch.randint(0, 2 * k + 1, (2,), generator=generator).tolist()
    return padded[:, :, i : i + images.shape[2], j : j + images.shape[3]]


def cutmix_box(lam: float, height: int, width: int, generator):
    """(top, bottom, left, right) of CutMix's box: sides sqrt(1 - lam) times the
    image's, centred on a pixel drawn from ``generator`` (row, then column), cut
    where it passes the border."""
    import math

    import torch

    ratio = math.sqrt(1.0 - lam)
    cut_h, cut_w = int(height * ratio), int(width * ratio)
    cy = int(torch.randint(height, (1,), generator=generator))
    cx = int(torch.randint(width, (1,), generator=generator))
    top, bottom = max(cy - cut_h // 2, 0), min(cy + cut_h // 2, height)
    left, right = max(cx - cut_w // 2, 0), min(cx + cut_w // 2, width)
    return top, bottom, left, right


def cutmix_batch(x, y, alpha, num_classes, generator):
    """CutMix (unit 07's answer, the reference): one box for the whole batch, of
    area about 1 - lam with lam ~ Beta(alpha, alpha), pasted into every example
    from its partner in one random permutation (drawn from ``generator`` before
    the box's centre). The labels are weighted by the area actually pasted, after
    the box is cut at the border. Returns (x_mixed, y_soft (N, num_classes))."""
    import torch
    import torch.nn.functional as F

    lam = float(torch.distributions.Beta(alpha, alpha).sample())
    partner = torch.randperm(len(x), generator=generator).to(x.device)
    top, bottom, left, right = cutmix_box(lam, x.shape[2], x.shape[3], generator)
    mixed = x.clone()
    mixed[:, :, top:bottom, left:right] = x[partner, :, top:bottom, left:right]
    pasted = (bottom - top) * (right - left) / (x.shape[2] * x.shape[3])
    one_hot = F.one_hot(y, num_classes).to(x.dtype)
    return mixed, (1 - pasted) * one_hot + pasted * one_hot[partner]


def simclr_view(
    images, generator, max_shift: int = 1, noise: float = 0.3, erase: int = 3
):
    """One random view of each image (N, C, H, W), drawn from ``generator``: its
    own shift of up to ``max_shift`` pixels each way (edges repeated), Gaussian
    noise of standard deviation ``noise``, and a blanked ``erase`` x ``erase``
    square at a random place. Every example gets its own draws."""
    import torch
    import torch.nn.functional as F

    n, _, h, w = images.shape
    k = max_shift
    padded = F.pad(images, (k, k, k, k), mode="replicate")
    shifts = torch.randint(0, 2 * k + 1, (n, 2), generator=generator)
    rows = (shifts[:, 0, None] + torch.arange(h)).to(images.device)  # (N, H)
    cols = (shifts[:, 1, None] + torch.arange(w)).to(images.device)  # (N, W)
    batch = torch.arange(n, device=images.device)[:, None, None]
    out = padded.permute(0, 2, 3, 1)[batch, rows[:, :, None], cols[:, None, :]]
    out = out.permute(0, 3, 1, 2)
    out = out + noise * torch.randn(out.shape, generator=generator).to(out.device)
    top = torch.randint(0, h - erase + 1, (n, 1, 1), generator=generator)
    left = torch.randint(0, w - erase + 1, (n, 1, 1), generator=generator)
    ys = torch.arange(h)[None, :, None]
    xs = torch.arange(w)[None, None, :]
    inside = (ys >= top) & (ys < top + erase) & (xs >= left) & (xs < left + erase)
    return out.masked_fill(inside[:, None].to(out.device), 0.0)


def two_views(images, generator, **settings):
    """SimCLR's pair: two independent ``simclr_view``s of the same batch."""
    return (
        simclr_view(images, generator, **settings),
        simclr_view(images, generator, **settings),
    )
