"""lib.attention: the references unit 09's tests swap in, against PyTorch's own
modules (whose masks mean the opposite: True = masked out)."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from lib import attention, optim, oracles


def _copy_into_torch(mha: attention.MultiHeadAttention, heads: int):
    E = mha.query.weight.shape[0]
    ref = nn.MultiheadAttention(E, heads, batch_first=True)
    with torch.no_grad():
        ref.in_proj_weight.copy_(
            torch.cat([mha.query.weight, mha.key.weight, mha.value.weight])
        )
        ref.in_proj_bias.copy_(
            torch.cat([mha.query.bias, mha.key.bias, mha.value.bias])
        )
        ref.out_proj.weight.copy_(mha.proj.weight)
        ref.out_proj.bias.copy_(mha.proj.bias)
    return ref.eval()


def test_attention_matches_torch_sdpa_with_a_causal_mask():
    torch.manual_seed(0)
    q, k, v = torch.randn(3, 2, 5, 8).unbind(0)
    mask = attention.causal_mask(5)
    out, weights = attention.scaled_dot_product_attention(q, k, v, mask)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v, mask))
    assert torch.all(weights[..., ~mask] == 0)


def test_multi_head_attention_and_block_match_torch():
    torch.manual_seed(1)
    mha = attention.MultiHeadAttention(16, 4).eval()
    x = torch.randn(2, 6, 16)
    mask = attention.causal_mask(6)
    with torch.no_grad():
        torch.testing.assert_close(
            mha(x, x, x, mask),
            _copy_into_torch(mha, 4)(x, x, x, attn_mask=~mask, need_weights=False)[0],
        )
    for norm_first in (True, False):
        block = attention.TransformerBlock(16, 4, 32, norm_first=norm_first).eval()
        ref = nn.TransformerEncoderLayer(
            16, 4, 32, dropout=0.0, batch_first=True, norm_first=norm_first
        ).eval()
        with torch.no_grad():
            ref.self_attn.load_state_dict(_copy_into_torch(block.attn, 4).state_dict())
            for mine, theirs in (
                (block.norm1, ref.norm1),
                (block.norm2, ref.norm2),
                (block.ffn[0], ref.linear1),
                (block.ffn[2], ref.linear2),
            ):
                theirs.load_state_dict(mine.state_dict())
            torch.testing.assert_close(
                block(x, mask), ref(x, src_mask=~mask), atol=1e-5, rtol=1e-4
            )


def test_language_model_is_causal_and_schedule_peaks_at_warmup():
    torch.manual_seed(2)
    model = attention.TinyTransformerLM(9, 16, 2, 32, 2, max_len=8).eval()
    idx = torch.randint(0, 9, (2, 8))
    changed = idx.clone()
    changed[:, 6] = (changed[:, 6] + 1) % 9
    with torch.no_grad():
        torch.testing.assert_close(model(idx)[:, :6], model(changed)[:, :6])
    lrs = [optim.noam_schedule(s, 64, 100) for s in range(1, 400)]
    assert max(range(len(lrs)), key=lrs.__getitem__) + 1 == 100
    assert abs(max(lrs) - 64**-0.5 * 100**-0.5) < 1e-12


@pytest.mark.parametrize("norm_first", [True, False])
def test_torch_copies_of_the_attention_modules_compute_the_same(norm_first):
    torch.manual_seed(0)
    block = attention.TransformerBlock(16, 4, 32, norm_first=norm_first).eval()
    x = torch.randn(2, 5, 16)
    mha = oracles.torch_mha(block.attn, 4)
    with torch.no_grad():
        torch.testing.assert_close(
            mha(x, x, x, need_weights=False)[0], block.attn(x, x, x)
        )
        layer = oracles.torch_encoder_layer(block, 4, 32, norm_first)
        torch.testing.assert_close(layer(x), block(x))
