"""Performance model (analysis.perf): step times and serving checked by hand against the roofline."""

import numpy as np
import pytest

from analysis import data, frontier, models, perf, systems
from analysis import jensen_math as jm

ROOFLINE = perf.ROOFLINE
TRTLLM = perf.backend_index("trtllm")


def _layout(tp=1, dp=1, moe_tp=1, moe_ep=1):
    return {k: np.array([float(v)]) for k, v in (("tp", tp), ("dp", dp), ("moe_tp", moe_tp), ("moe_ep", moe_ep))}


def test_batch1_decode_is_bounded_by_reading_the_weights():
    # Llama-2-70B FP8 on one H200: one token reads every weight once
    m, h = models.get("llama-2-70b"), systems.get("h200")
    weights = models.weight_bytes(m, "fp8") - 32000 * 8192 * 2     # the embedding table is not read
    assert h.hbm_tb_s == 4.8
    bound = weights / 4.8e12                                        # [s] at 4.8 TB/s
    assert bound == pytest.approx(68.975e9 / 4.8e12, rel=1e-4)     # 68.98 GB (FP8 body + BF16 lm_head): 14.37 ms
    c = perf.constants(m, "fp8", h, 10, 10)
    res = perf.serve(c, ROOFLINE, _layout(), TRTLLM, 1)
    assert res["tpot_s"][0] >= bound
    # the rest is the KV cache of one short sequence and the prefill share: well under 1%
    assert res["tpot_s"][0] == pytest.approx(bound, rel=0.01)


def test_large_prefill_is_compute_bound_at_the_dense_peak():
    m, h = models.get("llama-2-70b"), systems.get("b200")
    assert h.flop_s("fp4") == 9e15
    c = perf.constants(m, "fp4", h, 1000, 1)
    t = perf.step_time(c, ROOFLINE, _layout(), TRTLLM, 0.0, 8000.0)
    # 8,000 prompt tokens through every weight but the embedding; the lm_head only for the last token of each prompt
    flops = 2 * (models.active_params(m) - 32000 * 8192) * 8000 + 2 * 32000 * 8192 * 8
    assert float(t["linear_compute"][0]) == pytest.approx(flops / 9e15, rel=1e-9)
    assert float(t["linear"][0]) == float(t["linear_compute"][0]) > float(t["linear_memory"][0])


def test_one_token_reads_top_k_experts_many_tokens_read_all():
    m, h = models.get("deepseek-r1"), systems.get("b200")
    c = perf.constants(m, "fp8", h, 100, 100)
    one = perf.step_time(c, ROOFLINE, _layout(), TRTLLM, 1.0, 0.0)
    many = perf.step_time(c, ROOFLINE, _layout(), TRTLLM, 10000.0, 0.0)
    expert = models.expert_params(m) * 1.0     # FP8: one byte per weight
    assert float(one["linear_memory"][0]) * 8e12 == pytest.approx(c["dense_bytes"] + 58 * 8 * expert, rel=1e-9)
    assert float(many["linear_memory"][0]) * 8e12 == pytest.approx(c["dense_bytes"] + 58 * 256 * expert, rel=1e-6)


def test_experts_sharded_by_tensor_parallelism_when_ep_is_one():
    # the standard deployment: DeepSeek-R1 FP8 on 8 H200, tp 8, ep 1 (moe_tp 8): each GPU holds an eighth
    m, h = models.get("deepseek-r1"), systems.get("h200")
    grid = perf.layouts(h, m, 8, tp=8, ep=1)
    assert grid.tolist() == [[8, 1, 8, 1]]
    c = perf.constants(m, "fp8", h, 1024, 1024)
    lay = {k: grid[:, i].astype(float) for i, k in enumerate(("tp", "dp", "moe_tp", "moe_ep"))}
    per_gpu = float(perf.weights_per_gpu(c, lay)[0])
    assert per_gpu == pytest.approx(models.weight_bytes(m, "fp8") / 8, rel=1e-9)
    assert per_gpu < 0.97 * 141e9 and perf.kv_capacity(c, lay)[0] >= 32


def test_layouts_cover_every_moe_split():
    m, h = models.get("deepseek-r1"), systems.get("gb200")
    grid = perf.layouts(h, m, 8)
    # attention tp x dp = 8 (heads 128: every divisor), experts moe_tp x moe_ep = 8
    assert len(grid) == 4 * 4
    assert (grid[:, 0] * grid[:, 1] == 8).all() and (grid[:, 2] * grid[:, 3] == 8).all()
    dense = perf.layouts(h, models.get("llama-3.1-70b"), 16)
    assert (dense[:, 2] == dense[:, 0]).all() and (dense[:, 3] == 1).all()


def test_engine_attention_reads_an_odd_tp_as_data_parallel():
    tp, dp = perf.engine_attention(np.array([64, 64, 40]), np.array([8, 3, 16]), np.array([1, 2, 1]))
    assert tp.tolist() == [8, 1, 1] and dp.tolist() == [1, 6, 16]


def test_kv_capacity_by_hand():
    m, h = models.get("llama-2-70b"), systems.get("h200")
    c = perf.constants(m, "fp8", h, 1000, 1000)
    lay = _layout()
    free = 0.9 * (0.97 * 141e9 - models.weight_bytes(m, "fp8"))     # 90% of what the runtime and weights leave
    per_seq = models.kv_bytes_per_token(m, "fp8") * 1500       # the mean context while decoding
    assert models.kv_bytes_per_token(m, "fp8") == 2 * 80 * 8 * 128     # K and V, 80 layers, 8 KV heads of 128, FP8
    assert perf.kv_capacity(c, lay)[0] == np.floor(free / per_seq)
    res = perf.serve(c, ROOFLINE, lay, TRTLLM, -1)                 # "max": the KV limit
    assert res["concurrency"][0] == np.floor(free / per_seq)


def test_serving_obeys_littles_law():
    m, h = models.get("llama-3.3-70b"), systems.get("b200")
    c = perf.constants(m, "fp8", h, 1024, 512)
    res = perf.serve(c, perf.Params(), _layout(tp=8), TRTLLM, np.array([8.0, 512.0]))
    latency = res["ttft_s"] + 511 * res["tpot_s"]
    np.testing.assert_allclose(res["output_tokens_per_s"], np.array([8.0, 512.0]) * 512 / latency)
    np.testing.assert_allclose(res["tokens_per_s_per_user"], 1 / res["tpot_s"])
    np.testing.assert_allclose(res["output_tokens_per_s_per_gpu"], res["output_tokens_per_s"] / 8)
    # more requests in flight: more throughput per GPU, slower per user
    assert res["output_tokens_per_s_per_gpu"][1] > 5 * res["output_tokens_per_s_per_gpu"][0]
    assert res["tpot_s"][1] > res["tpot_s"][0]


def test_requests_beyond_the_kv_cache_wait_for_a_slot():
    m, h = models.get("llama-2-70b"), systems.get("h200")
    c = perf.constants(m, "fp8", h, 4000, 4000)
    cap = float(perf.kv_capacity(c, _layout())[0])
    res = perf.serve(c, ROOFLINE, _layout(), TRTLLM, np.array([cap, 2 * cap]))
    # same batch in service, so the same TPOT; twice the requests wait one whole request time for a slot
    assert res["batch"].tolist() == [cap, cap]
    assert res["tpot_s"][1] == pytest.approx(res["tpot_s"][0])
    latency = res["ttft_s"][0] + 3999 * res["tpot_s"][0]
    assert res["ttft_s"][1] == pytest.approx(res["ttft_s"][0] + latency)
    assert res["output_tokens_per_s"][1] == pytest.approx(res["output_tokens_per_s"][0], rel=1e-9)


def test_kv_transfer_by_hand():
    m, h = models.get("llama-3.3-70b"), systems.get("gb200")
    c = perf.constants(m, "fp8", h, 4096, 512)
    p = perf.Params(network_efficiency=1.0, collective_latency_s=0.0)
    kv = 2 * 80 * 8 * 128 * 4096                                   # 671 MB of FP8 KV cache for the prompt
    lay = _layout(tp=4)
    nvlink = perf.kv_transfer_s(c, p, lay, np.array([True]))[0]
    nic = perf.kv_transfer_s(c, p, lay, np.array([False]))[0]
    assert nvlink == pytest.approx(kv / (h.nvlink_tb_s * 1e12 * 4))    # four TP shards send in parallel
    assert nic == pytest.approx(kv / (h.nic_tb_s * 1e12 * 4))
    assert nic > 5 * nvlink


def test_disaggregated_serving_counts_both_pools():
    m, h = models.get("llama-3.3-70b"), systems.get("gb200")
    c = perf.constants(m, "fp8", h, 4096, 512)
    res = perf.serve_disagg(c, perf.Params(), _layout(tp=4), _layout(tp=4), TRTLLM, np.array([64.0]),
                            prefill_workers=np.array([2.0]), decode_workers=np.array([1.0]))
    assert res["feasible"][0]
    assert res["output_tokens_per_s_per_gpu"][0] == pytest.approx(res["output_tokens_per_s"][0] / 12)
    assert 0 < res["prefill_utilization"][0] < 1


def _disagg(conc, prefill_dp=1.0, prefill_workers=1.0, burst=0.0):
    m, h = models.get("deepseek-r1"), systems.get("h200")
    c = perf.constants(m, "fp8", h, 1024, 1024)
    pre = {"tp": np.array([8.0 / prefill_dp]), "dp": np.array([prefill_dp]), "moe_tp": np.array([8.0 / prefill_dp]),
           "moe_ep": np.array([prefill_dp])}
    dec = {"tp": np.array([8.0]), "dp": np.array([1.0]), "moe_tp": np.array([8.0]), "moe_ep": np.array([1.0])}
    p = perf.Params(ttft_burst=burst)
    res = perf.serve_disagg(c, p, pre, dec, TRTLLM, np.array([conc]), prefill_workers=np.array([prefill_workers]),
                            decode_workers=np.array([4.0]), decode_batch=np.array([conc / 4.0]))
    t_prefill = perf.step_time(c, p, pre, TRTLLM, 0.0, 1024.0)["total"][0]
    return res, t_prefill, p, c, pre


def test_disaggregated_prefill_slots_count_attention_dp_ranks():
    # eight DP ranks prefill eight prompts per step: at a light load nobody waits more than the M/D/1 queue
    res, t_prefill, p, c, pre = _disagg(16.0, prefill_dp=8.0)
    capacity = 8.0 / t_prefill
    assert res["prefill_utilization"][0] < 0.1
    transfer = perf.kv_transfer_s(c, p, pre, np.array([False]))[0]   # 8 + 8 GPUs: two HGX nodes, over the NIC
    rate = 16.0 / (1023 * res["tpot_s"][0] + t_prefill + transfer + p.ttft_overhead_trtllm_s)
    rho = rate / capacity
    assert res["ttft_s"][0] == pytest.approx(p.ttft_overhead_trtllm_s + t_prefill + transfer
                                             + rho * t_prefill / (2 * (1 - rho)), rel=1e-9)


def test_a_saturated_prefill_pool_bounds_throughput_by_littles_law():
    # one TP-8 prefill worker for 4,096 requests: throughput is its capacity, the rest waits in its queue
    res, t_prefill, *_ = _disagg(4096.0)
    capacity = 1.0 / t_prefill
    assert res["prefill_utilization"][0] == 1.0
    assert res["output_tokens_per_s"][0] == pytest.approx(capacity * 1024, rel=1e-9)
    assert res["ttft_s"][0] == pytest.approx(4096.0 / capacity - 1023 * res["tpot_s"][0], rel=1e-9)


def test_a_burst_of_prompts_queues_for_the_prefill_slots():
    quiet, t_prefill, *_ = _disagg(64.0, prefill_dp=8.0, prefill_workers=2.0)
    burst, *_ = _disagg(64.0, prefill_dp=8.0, prefill_workers=2.0, burst=1.0)
    # 64 prompts on 16 slots: on average (64 / 16 - 1) / 2 prefill steps of waiting
    assert burst["ttft_s"][0] - quiet["ttft_s"][0] == pytest.approx(1.5 * t_prefill, rel=1e-9)


def test_stacked_parameter_sets_evaluate_like_each_set():
    m, h = models.get("deepseek-r1"), systems.get("gb200")
    c = perf.constants(m, "fp4", h, 1024, 1024)
    lay = {k: np.array(v, dtype=float) for k, v in (("tp", [1, 8]), ("dp", [8, 1]), ("moe_tp", [1, 1]),
                                                       ("moe_ep", [8, 8]))}
    sets = [perf.Params(), perf.Params(memory_efficiency=0.6, ttft_burst=0.1), ROOFLINE]
    together = perf.serve(c, perf.stack(sets), lay, TRTLLM, np.array([16.0, 256.0]))
    for k, p in enumerate(sets):
        alone = perf.serve(c, p, lay, TRTLLM, np.array([16.0, 256.0]))
        np.testing.assert_allclose(together["tpot_s"][k], alone["tpot_s"], rtol=1e-12)
        np.testing.assert_allclose(together["ttft_s"][k], alone["ttft_s"], rtol=1e-12)


def test_backends_pick_their_own_fixed_costs():
    m, h = models.get("llama-3.1-8b"), systems.get("h100")
    c = perf.constants(m, "fp8", h, 128, 128)
    p = perf.Params(step_overhead_trtllm_s=1e-3, step_overhead_vllm_s=2e-3, step_overhead_sglang_s=4e-3)
    t = {b: perf.step_time(c, p, _layout(), perf.backend_index(b), 1.0, 0.0)["total"][0] for b in perf.BACKENDS}
    assert t["vllm"] - t["trtllm"] == pytest.approx(1e-3) and t["sglang"] - t["vllm"] == pytest.approx(2e-3)
    with pytest.raises(ValueError, match="trtllm, vllm, sglang"):
        perf.backend_index("tgi")


def test_pareto_mask_by_hand():
    x = np.array([1.0, 2.0, 3.0, 2.0, 0.5])
    y = np.array([3.0, 2.0, 1.0, 1.0, 3.0])
    assert frontier.pareto_mask(x, y).tolist() == [True, True, True, False, False]


def test_frontier_is_monotone_and_its_band_contains_it():
    f = frontier.pareto_frontier("b200", "llama-3.3-70b", "fp8", 8, 1024, 1024)
    assert len(f) > 5
    assert (np.diff(f["tokens_per_s_per_user"]) > 0).all()
    assert (np.diff(f["output_tokens_per_s_per_gpu"]) < 0).all()
    band = frontier.frontier_band("b200", "llama-3.3-70b", "fp8", 8, 1024, 1024)
    ok = band["output_tokens_per_s_per_gpu"].notna()
    assert ok.sum() >= 30
    b = band[ok]
    assert (b["output_tokens_per_s_per_gpu_low"] < b["output_tokens_per_s_per_gpu"]).all()
    assert (b["output_tokens_per_s_per_gpu"] < b["output_tokens_per_s_per_gpu_high"]).all()


def test_sweep_has_every_layout_and_concurrency():
    t = frontier.sweep("gb200", "deepseek-r1", "fp4", 8, 1024, 1024, concurrencies=[1, 64])
    assert len(t) == 16 * 2
    draws = frontier.sweep("gb200", "deepseek-r1", "fp4", 8, 1024, 1024, concurrencies=[1, 64],
                       params=[perf.Params(), ROOFLINE])
    assert draws["draw"].tolist() == [0] * 32 + [1] * 32
    # the roofline is an upper bound on throughput at the same layout and concurrency
    a, r = draws[draws["draw"] == 0], draws[draws["draw"] == 1]
    assert (r["output_tokens_per_s_per_gpu"].to_numpy() > a["output_tokens_per_s_per_gpu"].to_numpy()).all()


def test_bounds_are_physical_and_sourced():
    b = perf.bounds()
    assert set(b) == set(perf.Params.names())
    for name in ("compute_efficiency", "memory_efficiency", "kv_memory_efficiency", "network_efficiency"):
        lo, hi = b[name]
        assert 0 < lo < hi <= 1, name
    table = data.load("perf_bounds")
    assert table["source_url"].str.startswith("http").all()


def test_stored_parameters_are_inside_their_bounds():
    b = perf.bounds()
    for p in [perf.parameters(), *perf.parameter_draws()]:
        for name, value in zip(perf.Params.names(), p.as_array()):
            assert b[name][0] - 1e-12 <= value <= b[name][1] + 1e-12, name


def test_hardware_specs_are_the_jensen_math_per_package_values():
    specs = data.load("hardware_specs")
    fields = {"hbm_tb_s": "hbm_bandwidth_tb_s", "hbm_gb": "hbm_capacity_gb", "nvlink_tb_s": "nvlink_bandwidth_tb_s",
              "nic_tb_s": "nic_bandwidth_tb_s"}
    for hw, pid in systems.HARDWARE.items():
        h = systems.get(hw)
        for attr, metric in fields.items():
            try:
                expected = jm.per_package(specs, pid, metric)[0]
            except LookupError:
                expected = np.nan
            np.testing.assert_equal(getattr(h, attr), expected, err_msg=f"{hw} {attr}")
        try:
            fp8 = jm.per_package_dense(specs, pid, "fp8")[0]
        except LookupError:     # no FP8 tensor cores (A100 / A800)
            fp8 = np.nan
        np.testing.assert_equal(h.pflop_s_fp8, fp8, err_msg=f"{hw} fp8")
    # power: the rack or system figure per package first (documented), else the package TDP
    assert systems.get("gb200").power_kw == pytest.approx(120 / 72)
    assert systems.get("h100").power_kw == pytest.approx(10.2 / 8)
    # no DGX/HGX H200 system power in the data: H200's 0.7 kW TDP at HGX H100's system/TDP ratio (10.2 kW / 8 / 0.7 kW)
    assert systems.get("h200").package_tdp_kw == jm.per_package(specs, "h200-sxm", "power_kw")[0] == pytest.approx(0.7)
    assert systems.get("h200").power_kw == pytest.approx(0.7 * (10.2 / 8) / 0.7)
    assert systems.get("h200").power_basis.startswith("estimated: package TDP")
    assert systems.get("b300").power_kw == pytest.approx(1.1 * (14.3 / 8) / 1.0)
    # every package is compared on the same basis: the system's power per package is above its TDP
    for hw in systems.HARDWARE:
        spec = systems.get(hw)
        assert not spec.package_tdp_kw < spec.power_kw / 2.5 and not spec.power_kw < spec.package_tdp_kw


def test_an_edited_copy_of_the_specs_changes_step_times(edited_spec):
    # batch-1 decode reads the weights: doubling the HBM bandwidth halves the roofline TPOT
    m = models.get("llama-2-70b")

    def tpot():
        c = perf.constants(m, "fp8", systems.get("h200"), 10, 10)
        return perf.serve(c, ROOFLINE, _layout(), TRTLLM, 1)["tpot_s"][0]

    before = tpot()
    edited_spec("h200-sxm.hbm_bandwidth_tb_s.none.not_applicable.per_package.1", "4.8", "9.6")
    assert systems.get("h200").hbm_tb_s == 9.6
    assert tpot() == pytest.approx(before / 2, rel=0.01)
