"""FLOPs per answer and the S3 ratio, checked against arithmetic on the published configs."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import models, reasoning

# From the config.json files (data/models.csv):
# Llama-3.3-70B: 80 layers x (attention 150,994,944 + FFN 3 x 8192 x 28672) + lm_head 128,256 x 8192
LLAMA_ACTIVE = 80 * (150_994_944 + 3 * 8192 * 28672) + 128_256 * 8192
LLAMA_LM_HEAD = 128_256 * 8192
LLAMA_CTX = 2 * 64 * (2 * 128) * 80            # decode attention per context token: 2 x heads x (d_k + d_v) x layers
LLAMA_PREFILL_PAIR = 2 * 64 * (2 * 128) * 80   # per (query, key) pair in prefill
# DeepSeek-R1: 36.6 B active; MLA decode on the absorbed latent (512 + 64 score, 512 value), 128 heads, 61 layers
R1_ACTIVE = 36_624_596_992
R1_LM_HEAD = 129_280 * 7168
R1_CTX = 2 * 128 * (512 + 64 + 512) * 61
R1_PREFILL_PAIR = 2 * 128 * ((128 + 64) + 128) * 61


def hand_answer(active, lm_head, ctx, pair, prompt, output):
    prefill = prompt * (2 * active - 2 * lm_head) + pair * prompt**2 / 2
    decode = output * 2 * active + ctx * (output * prompt + output * (output - 1) / 2)
    return prefill + decode


def test_catalog_matches_the_hand_counts():
    assert models.active_params(models.get("llama-3.3-70b")) == LLAMA_ACTIVE == 69_501_714_432
    assert models.active_params(models.get("deepseek-r1")) == R1_ACTIVE
    assert models.attention_flops_decode(models.get("deepseek-r1"), 1.0) == R1_CTX == 16_990_208


def test_s3_ratio_by_hand():
    one = hand_answer(LLAMA_ACTIVE, LLAMA_LM_HEAD, LLAMA_CTX, LLAMA_PREFILL_PAIR, 150, 400)
    reason = hand_answer(R1_ACTIVE, R1_LM_HEAD, R1_CTX, R1_PREFILL_PAIR, 150, 8000)
    assert one == pytest.approx(7.65327e13, rel=1e-5)
    assert reason == pytest.approx(1.160766e15, rel=1e-5)
    like = reasoning.basis("active_attention")
    assert reasoning.flops_ratio(like, 400, 8000, 150) == pytest.approx(reason / one, rel=1e-12)
    assert reason / one == pytest.approx(15.167, rel=1e-4)
    # weights only, no prompt: 8000 x 36.62 B / (400 x 69.50 B) = 10.54
    assert reasoning.flops_ratio(reasoning.basis("active"), 400, 8000, 0) == pytest.approx(
        8000 * R1_ACTIVE / (400 * LLAMA_ACTIVE), rel=1e-12)


def test_closed_form_equals_the_step_by_step_sum():
    m = models.get("deepseek-r1")
    prompt, output = 150, 3000
    steps = models.flops_per_token(m, "decode", prompt + np.arange(output)).sum()
    prefill = models.flops_per_token(m, "prefill", prompt) * prompt
    # flops_per_token's prefill counts one lm_head for the prompt; answer_flops puts it on the output
    lm = 2.0 * models.param_groups(m)["lm_head"]
    assert reasoning.answer_flops(m, prompt, output) == pytest.approx(prefill - lm + steps, rel=1e-12)


def test_all_weights_basis_counts_every_matrix():
    r1 = models.get("deepseek-r1")
    expected = 2 * (models.total_params(r1) - 129_280 * 7168)
    assert reasoning.weight_flops_per_token(r1, "all") == expected
    # a dense model's two counts differ only by its embedding table, which is a look-up in both
    llama = models.get("llama-3.3-70b")
    assert reasoning.weight_flops_per_token(llama, "all") == reasoning.weight_flops_per_token(llama, "active")
    with pytest.raises(ValueError):
        reasoning.weight_flops_per_token(r1, "some")


def test_ratio_grows_with_the_trace_and_inverse_search_finds_it():
    like = reasoning.basis("active_attention")
    t = np.array([1000.0, 4000.0, 16000.0])
    r = reasoning.flops_ratio(like, 400, t, 150)
    assert np.all(np.diff(r) > 0)
    tokens = reasoning.tokens_for_ratio(like, 150, 400, 150)
    assert reasoning.flops_ratio(like, 400, tokens, 150) == pytest.approx(150, rel=1e-9)
    assert np.isnan(reasoning.tokens_for_ratio(like, 1e9, 400, 150, max_tokens=1e5))


def test_params_for_ratio_reproduces_the_target():
    inputs = reasoning.demo_inputs()
    n = reasoning.params_for_ratio(150, inputs)
    one = reasoning.answer_flops(models.get("llama-3.3-70b"), inputs["prompt_tokens"], inputs["oneshot_tokens"])
    r1 = models.get("deepseek-r1")
    attention = (reasoning.answer_flops(r1, inputs["prompt_tokens"], inputs["reasoning_tokens"])
                 - reasoning.answer_flops(r1, inputs["prompt_tokens"], inputs["reasoning_tokens"], attention=False))
    assert (2 * n * (inputs["prompt_tokens"] + inputs["reasoning_tokens"]) + attention) / one == pytest.approx(150)


def test_tables_cover_every_basis_and_input():
    assert reasoning.ratio_table()["key"].tolist() == [b.key for b in reasoning.BASES]
    assert len(reasoning.range_table()) == 6
    assert set(reasoning.sensitivity_table()["basis"]) == {b.label for b in reasoning.BASES}
    with pytest.raises(KeyError, match="active_attention"):
        reasoning.basis("nope")
