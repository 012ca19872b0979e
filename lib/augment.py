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
