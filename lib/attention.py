"""Reference attention and transformer pieces in PyTorch (unit 09's answers, for the
tests that build on them and for demos; graded answers may not call them).

Masks are boolean and True means "may attend" (COURSE.md), as in
``torch.nn.functional.scaled_dot_product_attention``; ``nn.MultiheadAttention`` and
``nn.TransformerEncoderLayer`` use the opposite convention (True = masked out).
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def scaled_dot_product_attention(q, k, v, mask=None, dropout=None):
    """(softmax(q k^T / sqrt(d) with masked scores at -inf) v, the weights)."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = scores.softmax(dim=-1)
    if dropout is not None:
        weights = dropout(weights)
    return weights @ v, weights


def causal_mask(T, device=None):
    """(T, T) bool: position i may attend to positions j <= i."""
    return torch.ones(T, T, dtype=torch.bool, device=device).tril()


def positional_encoding(max_len, d_model):
    """Sinusoidal encoding (max_len, d_model): sin on even columns, cos on odd."""
    pos = torch.arange(max_len, dtype=torch.float32)[:, None]
    rate = torch.exp(-math.log(10000.0) * torch.arange(0, d_model, 2) / d_model)
    pe = torch.zeros(max_len, d_model)
    pe[:, 0::2] = torch.sin(pos * rate)
    pe[:, 1::2] = torch.cos(pos * rate[: d_model // 2])
    return pe


class MultiHeadAttention(nn.Module):
    """Multi-head attention with linear maps query, key, value and proj."""

    def __init__(self, embed_dim, num_heads, dropout=0.0):
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError("embed_dim must be divisible by num_heads")
        self.num_heads = num_heads
        self.query, self.key, self.value, self.proj = (
            nn.Linear(embed_dim, embed_dim) for _ in range(4)
        )
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, attn_mask=None):
        N, S, E = query.shape
        T = key.shape[1]
        h = self.num_heads

        def split(x, length):
            return x.reshape(N, length, h, E // h).transpose(1, 2)

        out, _ = scaled_dot_product_attention(
            split(self.query(query), S),
            split(self.key(key), T),
            split(self.value(value), T),
            attn_mask,
            self.dropout,
        )
        return self.proj(out.transpose(1, 2).reshape(N, S, E))


class TransformerBlock(nn.Module):
    """Pre-norm (default) or post-norm transformer encoder block."""

    def __init__(self, d_model, num_heads, d_ff, dropout=0.0, norm_first=True):
        super().__init__()
        self.attn = MultiHeadAttention(d_model, num_heads, dropout)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(
            nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model)
        )
        self.dropout = nn.Dropout(dropout)
        self.norm_first = norm_first

    def forward(self, x, attn_mask=None):
        def attend(y):
            return self.dropout(self.attn(y, y, y, attn_mask))

        if self.norm_first:
            x = x + attend(self.norm1(x))
            return x + self.dropout(self.ffn(self.norm2(x)))
        x = self.norm1(x + attend(x))
        return self.norm2(x + self.dropout(self.ffn(x)))


class TinyTransformerLM(nn.Module):
    """Token embedding + sinusoidal positions, pre-norm causal blocks, final layer
    norm, linear head: idx (N, T) -> logits (N, T, vocab_size)."""

    def __init__(
        self,
        vocab_size,
        d_model=64,
        num_heads=4,
        d_ff=256,
        num_layers=2,
        max_len=32,
        dropout=0.0,
    ):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.register_buffer("pe", positional_encoding(max_len, d_model))
        self.blocks = nn.ModuleList(
            TransformerBlock(d_model, num_heads, d_ff, dropout)
            for _ in range(num_layers)
        )
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, idx):
        T = idx.shape[1]
        x = self.embed(idx) + self.pe[:T]
        mask = causal_mask(T, device=idx.device)
        for block in self.blocks:
            x = block(x, mask)
        return self.head(self.norm(x))


def language_model_loss(model, ids):
    """Mean cross-entropy (nats per character) of next-token prediction on (N, T)
    index rows, padding targets (index 0) ignored."""
    logits = model(ids[:, :-1])
    return F.cross_entropy(
        logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), ignore_index=0
    )


class PatchEmbedding(nn.Module):
    """Non-overlapping patch x patch squares of an image (N, C, H, W), in row-major
    order, each flattened as its (C, patch, patch) block and mapped by one linear
    layer ``proj``: (N, (H / patch) * (W / patch), d_model)."""

    def __init__(self, image_size, patch_size, in_channels, d_model):
        super().__init__()
        self.patch_size = patch_size
        self.proj = nn.Linear(in_channels * patch_size * patch_size, d_model)

    def forward(self, x):
        N, C, H, W = x.shape
        p = self.patch_size
        patches = x.reshape(N, C, H // p, p, W // p, p).permute(0, 2, 4, 1, 3, 5)
        return self.proj(patches.reshape(N, (H // p) * (W // p), C * p * p))


class VisionTransformer(nn.Module):
    """Patch embedding, a learned class token in front, learned positions, pre-norm
    TransformerBlocks, a final LayerNorm and a linear head on the class token:
    images (N, C, H, W) -> logits (N, num_classes)."""

    def __init__(
        self,
        image_size,
        patch_size,
        in_channels,
        num_classes,
        d_model,
        num_heads,
        d_ff,
        num_layers,
        dropout=0.0,
    ):
        super().__init__()
        num_patches = (image_size // patch_size) ** 2
        self.patch_embed = PatchEmbedding(image_size, patch_size, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.randn(1, 1, d_model) * 0.02)
        self.pos_embedding = nn.Parameter(
            torch.randn(1, 1 + num_patches, d_model) * 0.02
        )
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(
            TransformerBlock(d_model, num_heads, d_ff, dropout)
            for _ in range(num_layers)
        )
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, num_classes)

    def forward(self, x):
        tokens = self.patch_embed(x)
        cls = self.cls_token.expand(len(x), -1, -1)
        z = self.drop(torch.cat([cls, tokens], dim=1) + self.pos_embedding)
        for block in self.blocks:
            z = block(z)
        return self.head(self.norm(z)[:, 0])
