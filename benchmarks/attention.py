"""Unit 09_attention: the solution's TinyTransformerLM trained on the census first
names with the notebook's settings (AdamW, 2x the lecture's warm-up schedule,
dropout 0.1) for at most 60 s on this machine's device, against the bigram."""

from __future__ import annotations

import math
import time

from benchmarks.training import solution_namespace
from lib import attention, optim, text
from lib import device as devices

BUDGET_S = 60.0
ANSWERS = [
    "causal_mask",
    "MultiHeadAttention",
    "positional_encoding",
    "TransformerBlock",
    "TinyTransformerLM",
]


def rows() -> list[tuple[str, float, str]]:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    device = devices.get_device()
    ns = solution_namespace(
        "09_attention", "attention.ipynb", ANSWERS, torch=torch, nn=nn, F=F, math=math
    )
    vocab, ids, _ = text.name_splits("first", val_fraction=0.1, seed=0)
    bigram = text.bigram_nll(ids["train"], ids["val"], vocab.size, alpha=0.1)
    train_ids = torch.tensor(ids["train"], device=device)
    val_ids = torch.tensor(ids["val"], device=device)
    torch.manual_seed(0)
    model = ns["TinyTransformerLM"](
        vocab.size, 64, 4, 256, 2, max_len=16, dropout=0.1
    ).to(device)
    opt = torch.optim.AdamW(
        model.parameters(), lr=1.0, betas=(0.9, 0.98), weight_decay=0.01
    )
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 2 * optim.noam_schedule(s + 1, 64, 200)
    )
    gen = torch.Generator().manual_seed(0)
    losses, start, epochs = [], time.perf_counter(), 0
    while time.perf_counter() - start < BUDGET_S and epochs < 30:
        model.train()
        for batch in torch.randperm(len(train_ids), generator=gen).split(64):
            loss = attention.language_model_loss(model, train_ids[batch.to(device)])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        model.eval()
        with torch.no_grad():
            losses.append(attention.language_model_loss(model, val_ids).item())
        epochs += 1
    seconds = time.perf_counter() - start
    best = min(losses)
    return [
        ("09: bigram validation loss (nats/char)", bigram, ""),
        ("09: TinyTransformerLM validation loss (nats/char)", best, ""),
        ("09: TinyTransformerLM, bigram minus its loss", bigram - best, ">= 0.15"),
        (
            f"09: TinyTransformerLM training seconds ({epochs} epochs, "
            f"{devices.describe(device)})",
            seconds,
            f"<= {BUDGET_S:.0f}",
        ),
    ]
