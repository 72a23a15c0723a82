"""Token growth, implied elasticity and spending at fixed capability."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import demand


def test_year_over_year_growth_from_the_disclosures():
    y = demand.yearly_growth().set_index("start")
    assert y.loc["2024-05", "growth_per_year"] == pytest.approx(480e12 / 9.7e12)
    assert y.loc["2025-05", "growth_per_year"] == pytest.approx(3.2e15 / 480e12)
    g = demand.token_growth()
    np.testing.assert_allclose(g["growth_per_year"], g["growth"] ** (12 / g["months"]))


def test_elasticity_identities():
    # quantity x10 when price /10: unit elastic, spending flat
    assert demand.implied_elasticity(10.0, 10.0) == pytest.approx(1.0)
    assert demand.implied_elasticity(np.array([100.0, 10.0]), 10.0).tolist() == pytest.approx([2.0, 1.0])


def test_elasticity_table_by_hand():
    t = demand.elasticity_table().set_index("start")
    first = t.loc["2024-05"]
    assert first["elasticity"] == pytest.approx(np.log(480 / 9.7) / np.log(40))
    assert first["spending_growth"] == pytest.approx(480 / 9.7 / 40)
    # a log-uniform decline over [9, 900]: P(decline < 49.48) = ln(49.48/9) / ln(100)
    assert first["p_elastic"] == pytest.approx(np.log(480 / 9.7 / 9) / np.log(100), abs=0.01)
    # the second year's growth (6.7x) is below the slowest price fall (9x): never elastic
    assert t.loc["2025-05", "p_elastic"] == 0.0


def test_decline_draws_are_seeded_and_in_range():
    a, b = demand.decline_draws(500, seed=4), demand.decline_draws(500, seed=4)
    assert np.array_equal(a, b) and a.min() >= 9 and a.max() <= 900


def test_growth_at_interpolates_in_logs_and_refuses_outside():
    assert demand.growth_at("2025-05") == pytest.approx(480 / 9.7)
    with pytest.raises(ValueError):
        demand.growth_at("2025-03")
    with pytest.raises(KeyError, match="epoch2025_gpt4_gpqa"):
        demand.price_decline("nope")


def test_every_provider_has_a_year_over_year_interval():
    y = demand.yearly_growth()
    assert list(dict.fromkeys(y["provider"])) == list(demand.PROVIDERS)
    ms = y[y["provider"] == "microsoft"].iloc[0]
    # derived from "100t tokens this quarter, up 5x year over year"
    assert ms["growth_per_year"] == pytest.approx(5.0)
    assert ms["tokens_end"] == pytest.approx(100e12 / 3)
    with pytest.raises(KeyError, match="google"):
        demand.token_growth(provider="amazon")
