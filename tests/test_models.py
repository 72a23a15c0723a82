"""Model catalog: hand-computed sizes from the published configs."""

import numpy as np
import pytest

from analysis import models


def test_kv_bytes_per_token_by_hand():
    # Llama-2/3 70B: 2 (K and V) x 80 layers x 8 KV heads x 128 dims x 2 B = 327,680 B = 320 KiB
    assert models.kv_bytes_per_token(models.get("llama-2-70b"), "bf16") == 2 * 80 * 8 * 128 * 2 == 320 * 1024
    assert models.kv_bytes_per_token(models.get("llama-3.3-70b"), "fp8") == 160 * 1024
    # DeepSeek-R1 MLA: 61 x (512 latent + 64 RoPE key) x 2 B = 70,272 B ~ 68.6 KiB
    assert models.kv_bytes_per_token(models.get("deepseek-r1"), "bf16") == 61 * 576 * 2
    # Llama-3.1-405B: 2 x 126 x 8 x 128 x 2 B
    assert models.kv_bytes_per_token(models.get("llama-3.1-405b"), "bf16") == 2 * 126 * 8 * 128 * 2


def test_sliding_window_caps_the_kv_cache():
    m = models.get("gpt-oss-120b")
    per_layer = 2 * 8 * 64  # K and V, 8 KV heads of 64
    # at 128 tokens every layer holds all of them; at 4096 the 18 sliding layers hold 128
    assert models.kv_elements_per_token(m, 128) == pytest.approx(36 * per_layer)
    assert models.kv_elements_per_token(m, 4096) == pytest.approx(per_layer * (18 + 18 * 128 / 4096))


def test_parameter_counts_match_the_published_sizes():
    assert models.total_params(models.get("llama-2-70b")) / 1e9 == pytest.approx(68.98, abs=0.01)
    assert models.total_params(models.get("llama-3.1-405b")) / 1e9 == pytest.approx(405.85, abs=0.01)
    ds = models.get("deepseek-r1")
    assert models.total_params(ds) / 1e9 == pytest.approx(671.0, abs=0.5)   # "671B total"
    assert models.active_params(ds) / 1e9 == pytest.approx(37.0, abs=0.5)   # "37B activated"
    oss = models.get("gpt-oss-120b")
    assert models.total_params(oss) / 1e9 == pytest.approx(116.8, abs=0.2)  # "117B"
    assert models.active_params(oss) / 1e9 == pytest.approx(5.1, abs=0.05)  # "5.1B active"


def test_deepseek_expert_arithmetic():
    ds = models.get("deepseek-r1")
    assert models.expert_params(ds) == 3 * 7168 * 2048
    groups = models.param_groups(ds)
    assert groups["routed_experts"] == 58 * 256 * 3 * 7168 * 2048
    assert groups["dense_ffn"] == 3 * 3 * 7168 * 18432


def test_weight_bytes_by_hand():
    m = models.get("llama-2-70b")
    emb = 32000 * 8192
    body = models.total_params(m) - 2 * emb
    assert models.weight_bytes(m, "bf16") == 2 * models.total_params(m)
    assert models.weight_bytes(m, "fp8") == body * 1 + 2 * emb * 2
    # NVFP4: 4 bits plus one FP8 scale per 16 values = 0.5625 B
    assert models.weight_bytes(m, "fp4") == pytest.approx(body * 0.5625 + 2 * emb * 2)


def test_flops_include_attention_over_the_context():
    m = models.get("llama-2-70b")
    base = 2 * models.active_params(m)
    assert models.flops_per_token(m, "decode", 0) == base
    # decode at 4,096 tokens: + 80 layers x 2 x 64 heads x (128 + 128) x 4096
    assert models.flops_per_token(m, "decode", 4096) == base + 80 * 2 * 64 * 256 * 4096
    # prefill of 1,000 tokens per token: no lm_head except once, plus half the causal attention
    lm = 2 * 32000 * 8192
    expected = base - lm + lm / 1000 + 80 * 2 * 64 * 256 * 1000**2 / 2 / 1000
    assert models.flops_per_token(m, "prefill", 1000) == pytest.approx(expected)
    # vectorized
    assert np.allclose(models.flops_per_token(m, "decode", [0, 4096]), [base, base + 80 * 2 * 64 * 256 * 4096])


def test_mla_decode_attention_uses_the_latent():
    ds = models.get("deepseek-r1")
    assert models.attention_flops_decode(ds, 1000) == 61 * 2 * 128 * (576 + 512) * 1000


def test_unknown_ids_list_the_valid_ones():
    with pytest.raises(KeyError, match="llama-2-70b"):
        models.get("llama-9")
    with pytest.raises(KeyError, match="bf16, fp8, fp4"):
        models.weight_bytes(models.get("llama-2-70b"), "int3")
