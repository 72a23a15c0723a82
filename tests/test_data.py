"""The loader validates every table and names file, line, column and rule on failure."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from analysis import data, units


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, target)
    return target


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _corrupt(data_dir: Path, table: str, where, **changes) -> int:
    """Change the first row matching ``where``; return its line number in the file."""
    path = data_dir / f"{table}.csv"
    header, rows = _rows(path)
    index = next(i for i, r in enumerate(rows) if where(r))
    rows[index].update(changes)
    _write(path, header, rows)
    return index + 2  # header is line 1


def _problem(error: data.DataValidationError, column: str | None):
    return next(p for p in error.problems if p.column == column)


def test_every_table_loads_and_has_provenance():
    for name in data.table_names():
        frame = data.load(name)
        assert len(frame) > 0, name
        if name != "metrics":
            for column in ("source_title", "source_url", "source_date", "accessed", "quote"):
                assert frame[column].notna().all() and (frame[column].str.len() > 0).all(), (name, column)


def test_load_returns_typed_columns():
    specs = data.load("hardware_specs")
    assert specs["value"].dtype == "float64"
    assert specs["preferred"].dtype == "boolean"
    assert specs["spec_id"].is_unique


def test_values_are_converted_to_the_metric_unit():
    specs = data.load("hardware_specs").set_index("spec_id")
    row = specs.loc["h100-sxm.compute_pflop_s.bf16.sparse.per_package.1"]
    assert row["unit"] == "TFLOP/s"
    assert row["value_in_metric_unit"] == pytest.approx(row["value"] / 1000)


def test_unknown_table_lists_the_valid_names():
    with pytest.raises(KeyError, match="hardware_specs"):
        data.load("no_such_table")


def test_assumption_reads_a_named_row():
    net = data.load("network_assumptions").set_index("parameter")
    assert data.assumption("network_assumptions", "pue") == net.at["pue", "value"] == 1.3
    assert data.assumption("network_assumptions", "pue", "low") == net.at["pue", "low"]
    # a hardware's own row wins over the all row; without one, the all row answers
    tco = data.load("tco_assumptions")
    assert data.assumption("tco_assumptions", "system_price_usd_per_gpu", "high", hardware="gb300") == 60527.0
    assert data.assumption("tco_assumptions", "utilization", frame=tco, hardware="gb300") == 0.7
    edited = tco.assign(value=tco["value"].where(tco["parameter"] != "utilization", 0.25))
    assert data.assumption("tco_assumptions", "utilization", frame=edited, hardware="gb300") == 0.25


def test_assumption_with_a_bad_name_names_the_table_and_lists_the_valid_names():
    with pytest.raises(KeyError, match=r"'no_such_parameter' in table 'scaling_assumptions'; parameters: .*demo_prompt_tokens"):
        data.assumption("scaling_assumptions", "no_such_parameter")
    # per hardware: the list is what that hardware can read (its rows and the all rows)
    with pytest.raises(KeyError, match=r"for hardware 'h999' in table 'tco_assumptions'; parameters: .*utilization") as info:
        data.assumption("tco_assumptions", "system_price_usd_per_gpu", hardware="h999")
    assert "system_price_usd_per_gpu" not in str(info.value).split("parameters:")[1]
    with pytest.raises(KeyError, match=r"no column 'middle' in table 'network_assumptions'"):
        data.assumption("network_assumptions", "pue", "middle")


def test_missing_source_url_names_file_line_and_column(data_copy):
    line = _corrupt(data_copy, "hardware_specs", lambda r: True, source_url="")
    with pytest.raises(data.DataValidationError) as info:
        data.load("hardware_specs", data_copy)
    problem = _problem(info.value, "source_url")
    assert (problem.file, problem.line) == ("data/hardware_specs.csv", line)
    assert "required" in problem.rule
    assert f"data/hardware_specs.csv, line {line}, column 'source_url'" in str(info.value)


def test_text_in_a_numeric_column_fails(data_copy):
    line = _corrupt(data_copy, "hardware_specs", lambda r: r["metric"] == "hbm_capacity_gb", value="about 80")
    with pytest.raises(data.DataValidationError) as info:
        data.load("hardware_specs", data_copy)
    problem = _problem(info.value, "value")
    assert problem.line == line and problem.rule.startswith("type-error")
    assert "about 80" in str(info.value)


def test_duplicate_key_fails(data_copy):
    path = data_copy / "hardware_specs.csv"
    header, rows = _rows(path)
    rows.append(dict(rows[0]))
    _write(path, header, rows)
    with pytest.raises(data.DataValidationError) as info:
        data.load("hardware_specs", data_copy)
    problem = next(p for p in info.value.problems if p.rule.startswith("primary-key"))
    assert problem.line == len(rows) + 1
    assert problem.file == "data/hardware_specs.csv"


def test_negative_bandwidth_fails(data_copy):
    line = _corrupt(data_copy, "hardware_specs", lambda r: r["metric"] == "hbm_bandwidth_tb_s", value="-3.35")
    with pytest.raises(data.DataValidationError) as info:
        data.load("hardware_specs", data_copy)
    problem = _problem(info.value, "value")
    assert problem.line == line and "minimum" in problem.rule


def test_unknown_basis_fails(data_copy):
    line = _corrupt(data_copy, "hardware_specs", lambda r: r["metric"] == "nvlink_bandwidth_tb_s", direction="both ways")
    with pytest.raises(data.DataValidationError) as info:
        data.load("hardware_specs", data_copy)
    problem = _problem(info.value, "direction")
    assert problem.line == line and "enum" in problem.rule


def test_wrong_unit_for_the_metric_fails(data_copy):
    line = _corrupt(data_copy, "hardware_specs", lambda r: r["metric"] == "hbm_bandwidth_tb_s", unit="TB")
    with pytest.raises(data.DataValidationError) as info:
        data.load("hardware_specs", data_copy)
    problem = _problem(info.value, "unit")
    assert problem.line == line and problem.rule == "unit-of-metric"
    assert "bytes" in problem.message and "data_rate" in problem.message


def test_sparsity_on_a_memory_metric_fails(data_copy):
    line = _corrupt(data_copy, "hardware_specs", lambda r: r["metric"] == "hbm_capacity_gb", sparsity="dense")
    with pytest.raises(data.DataValidationError) as info:
        data.load("hardware_specs", data_copy)
    assert _problem(info.value, "sparsity").line == line


def test_derived_value_must_name_its_formula(data_copy):
    line = _corrupt(data_copy, "hardware_specs", lambda r: r["status"] != "derived", status="derived", derivation="")
    with pytest.raises(data.DataValidationError) as info:
        data.load("hardware_specs", data_copy)
    problem = _problem(info.value, "derivation")
    assert problem.line == line and problem.rule == "derived-needs-formula"


def test_exactly_one_preferred_row_per_conflict_group(data_copy):
    _corrupt(data_copy, "hardware_specs", lambda r: r["preferred"] == "true", preferred="false")
    with pytest.raises(data.DataValidationError) as info:
        data.load("hardware_specs", data_copy)
    assert any(p.rule == "one-preferred-per-group" for p in info.value.problems)


def test_unknown_product_fails_the_foreign_key(data_copy):
    line = _corrupt(data_copy, "hardware_specs", lambda r: True, product_id="h100-pcie")
    with pytest.raises(data.DataValidationError) as info:
        data.load("hardware_specs", data_copy)
    problem = next(p for p in info.value.problems if p.rule.startswith("foreign-key"))
    assert problem.line == line


def test_claims_missing_source_fails(data_copy):
    line = _corrupt(data_copy, "claims", lambda r: r["claim_id"] == "M1", source_title="")
    with pytest.raises(data.DataValidationError) as info:
        data.load("claims", data_copy)
    assert _problem(info.value, "source_title").line == line


def test_conflicting_sources_are_kept_as_rows():
    specs = data.load("hardware_specs")
    group = ["product_id", "metric", "precision", "sparsity", "direction", "scope"]
    sizes = specs.groupby(group).size()
    conflicts = sizes[sizes > 1]
    assert len(conflicts) >= 3
    # B200 memory: 180 GB (DGX/HGX) vs 192 GB (tech brief)
    b200 = specs.query("product_id == 'b200-hgx' and metric == 'hbm_capacity_gb' and scope == 'per_package'")
    assert set(b200["value"]) >= {180.0, 192.0}
    assert b200["preferred"].sum() == 1


def test_unit_conversions():
    assert units.conversion_factor("EFLOP/s", "PFLOP/s") == 1000.0
    assert units.conversion_factor("W", "kW") == 0.001
    assert 800 * units.conversion_factor("Gb/s", "TB/s") == pytest.approx(0.1)
    with pytest.raises(units.UnitError, match="unknown unit"):
        units.conversion_factor("furlong", "TB")
