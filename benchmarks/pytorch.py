"""Unit 07_pytorch: the lecture's CNN trained with the notebook's settings (Adam,
cosine schedule, gradient clipping, random shifts) on the default dataset: test
accuracy and the training time on this machine's device."""

from __future__ import annotations

import time

from benchmarks.training import solution_namespace
from lib import augment, data
from lib import device as devices

EPOCHS = 10
BUDGET_S = 60.0


def rows() -> list[tuple[str, float, str]]:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.utils.data import DataLoader, TensorDataset

    device = devices.get_device()
    images = data.standardize(data.load_images(), images=True)
    X = {
        k: torch.tensor(v, dtype=torch.float32)
        for k, v in images.items()
        if k[0] == "X"
    }
    y = {k: torch.tensor(v) for k, v in images.items() if k[0] == "y"}
    ns = solution_namespace(
        "07_pytorch",
        "pytorch.ipynb",
        ["flatten", "LectureCNN", "check_accuracy"],
        torch=torch,
        nn=nn,
        F=F,
    )
    torch.manual_seed(0)
    model = ns["LectureCNN"](X["X_train"].shape[1], X["X_train"].shape[2], 10).to(
        device
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    train = DataLoader(
        TensorDataset(X["X_train"], y["y_train"]),
        batch_size=64,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
    )
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=EPOCHS * len(train)
    )
    shifts = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    for _ in range(EPOCHS):
        model.train()
        for xb, yb in train:
            xb = augment.random_shift(xb, shifts)
            loss = F.cross_entropy(model(xb.to(device)), yb.to(device))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
            optimizer.step()
            scheduler.step()
    seconds = time.perf_counter() - start
    test = DataLoader(TensorDataset(X["X_test"], y["y_test"]), batch_size=256)
    accuracy = ns["check_accuracy"](model, test, device)
    where = devices.describe(device)
    return [
        (f"07: LectureCNN test accuracy ({where})", float(accuracy), ">= 0.96"),
        (f"07: ... training time, {EPOCHS} epochs (s)", seconds, f"<= {BUDGET_S:.0f}"),
        ("07: ... parameters", float(sum(p.numel() for p in model.parameters())), ""),
        ("07: ... torch threads", float(torch.get_num_threads()), ""),
    ]
