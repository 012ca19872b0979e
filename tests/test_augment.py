"""lib.augment.random_shift moves a batch by at most max_shift pixels, reproducibly."""

from __future__ import annotations

import torch

from lib import augment


def test_random_shift_moves_a_dot_by_at_most_two_pixels_and_repeats_with_a_seed():
    images = torch.zeros(3, 1, 9, 9)
    images[:, 0, 4, 4] = 1.0
    seen = set()
    for seed in range(30):
        out = augment.random_shift(images, torch.Generator().manual_seed(seed))
        assert out.shape == images.shape
        i, j = divmod(int(out[0, 0].argmax()), 9)
        assert abs(i - 4) <= 2 and abs(j - 4) <= 2
        assert torch.equal(out[0], out[1])  # one offset for the whole batch
        again = augment.random_shift(images, torch.Generator().manual_seed(seed))
        assert torch.equal(out, again)
        seen.add((i, j))
    assert len(seen) > 5
    assert augment.random_shift(images, torch.Generator(), max_shift=0) is images
