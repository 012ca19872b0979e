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


def test_simclr_views_are_per_example_and_repeatable():
    """Each image gets its own shift, noise and blank square; the same generator
    seed gives the same pair; shapes and the blanked squares are as stated."""
    images = torch.rand(64, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    a1, a2 = augment.two_views(images, torch.Generator().manual_seed(5))
    b1, b2 = augment.two_views(images, torch.Generator().manual_seed(5))
    assert torch.equal(a1, b1) and torch.equal(a2, b2)
    assert a1.shape == a2.shape == images.shape
    assert not torch.equal(a1, a2)
    # Without noise, each view is a shifted copy with one blank 3 x 3 square.
    quiet = augment.simclr_view(images, torch.Generator().manual_seed(1), noise=0.0)
    zeros = (quiet == 0).flatten(1).sum(dim=1)
    assert bool((zeros >= 9).all())
    shifts = set()
    padded = torch.nn.functional.pad(images, (1, 1, 1, 1), mode="replicate")
    for n in range(len(images)):
        for i in range(3):
            for j in range(3):
                crop = padded[n, :, i : i + 8, j : j + 8]
                kept = quiet[n] != 0
                if torch.allclose(crop[kept], quiet[n][kept]):
                    shifts.add((n, i, j))
    assert len({n for n, _, _ in shifts}) == len(images)  # every view is a crop
    assert len({(i, j) for _, i, j in shifts}) > 3  # and the crops differ
