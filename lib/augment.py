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
