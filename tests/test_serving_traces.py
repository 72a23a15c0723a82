"""Traces: the public ones match their papers' statistics; synthetic ones recover planted parameters."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import traces


def test_mooncake_traces_match_the_papers_table_2():
    # Qin et al., FAST 2025, Table 2: conversation 12,031 requests, avg input 12,035, output 343, cache ratio 40%;
    # synthetic 3,993 requests, input 15,325, output 149, cache ratio 66%
    conv, syn = traces.load("mooncake_conv"), traces.load("mooncake_synthetic")
    assert len(conv) == 12031 and len(syn) == 3993
    assert conv.input_tokens.mean() == pytest.approx(12035, abs=1)
    assert conv.output_tokens.mean() == pytest.approx(343, abs=1)
    assert syn.input_tokens.mean() == pytest.approx(15325, abs=1)
    assert syn.output_tokens.mean() == pytest.approx(149, abs=1)
    # the leading-run reuse of an unbounded cache is a little under the paper's block cache ratio
    assert 0.30 < traces.prefix_reuse(conv) < 0.42
    assert 0.55 < traces.prefix_reuse(syn) < 0.68
    # one block id per 512 tokens of prompt
    counts = np.diff(conv.block_offsets)
    assert (counts == np.ceil(conv.input_tokens / traces.BLOCK_TOKENS)).mean() > 0.99


def test_azure_traces_have_their_rows_and_no_shared_prefixes():
    t = traces.load("azure_conv")
    assert len(t) == 19366 and t.arrival_s[0] == 0.0 and np.all(np.diff(t.arrival_s) >= 0)
    assert traces.prefix_reuse(t) == 0.0
    assert len(traces.load("azure_code")) == 8819


def test_poisson_recovers_its_rate_and_planted_prefix_share():
    t = traces.poisson(25.0, 20000, 2048, 100, seed=4, prefix_share=0.5, groups=4)
    gaps = np.diff(t.arrival_s)
    assert 1.0 / gaps.mean() == pytest.approx(25.0, rel=0.03)
    assert gaps.std() / gaps.mean() == pytest.approx(1.0, rel=0.05)   # exponential gaps
    # 2 of 4 blocks shared within 4 groups: half the blocks are reused (less the 4 first sightings)
    assert traces.prefix_reuse(t) == pytest.approx(0.5, abs=0.001)


def test_bursty_has_the_mean_rate_but_overdispersed_counts():
    t = traces.bursty(10.0, 50000, 100, 10, seed=5, burst_factor=5.0, burst_share=0.2, mean_period_s=30.0)
    assert len(t) / t.duration_s == pytest.approx(10.0, rel=0.1)
    counts = np.bincount(np.floor(t.arrival_s / 10.0).astype(int))
    assert counts.var() / counts.mean() > 5.0      # Poisson would give 1


def test_thinning_and_scaling():
    t = traces.load("mooncake_conv")
    half = traces.prefix_reuse(traces.thinned_reuse(t, 0.5, seed=0))
    assert 0.1 < half < traces.prefix_reuse(t)
    assert traces.scaled(t, 2.0).duration_s == pytest.approx(t.duration_s / 2.0)
    assert len(traces.head(t, 10)) == 10 and traces.head(t, 10).blocks(9).tolist() == t.blocks(9).tolist()
    with pytest.raises(KeyError, match="mooncake_conv"):
        traces.load("nope")
