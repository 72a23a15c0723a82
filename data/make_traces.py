"""Make the four ``trace_*.csv`` tables: public LLM serving traces, one request a row.

Run by hand (``python data/make_traces.py PATH/TO/shared/traces``) to refresh the frozen
snapshot; nothing runs it at build time.  The inputs are vendored unchanged in the
project's shared folder (see its README for repository, commit and licence):

* ``AzureLLMInferenceTrace_conv.csv`` / ``_code.csv``: Azure/AzurePublicDataset @ b469a113
  (CC-BY-4.0; Patel et al., "Splitwise", ISCA 2024): one hour of Azure OpenAI traffic,
  2023-11-16: arrival time, prompt and output tokens.
* ``conversation_trace.jsonl`` / ``synthetic_trace.jsonl``: kvcache-ai/Mooncake @ 3b5a5941
  FAST25-release/traces (Apache-2.0; Qin et al., "Mooncake", FAST 2025): timestamp [ms],
  input and output length, and ``hash_ids`` (one id per 512-token block of the prompt;
  equal ids are equal prefix blocks).

Values are unchanged but for two derivations the schema states: ``arrival_s`` is the
time since the trace's first request (Azure: parsed from the timestamp; Mooncake: ms / 1000),
and ``hash_ids`` is written space-separated (empty for the Azure traces, which have none).
"""

import json
import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parent
ACCESSED = "2026-12-03"

AZURE = {
    "title": "Microsoft Azure: Azure LLM inference trace 2023 (AzurePublicDataset; Patel et al., Splitwise, ISCA 2024)",
    "url": "https://github.com/Azure/AzurePublicDataset/blob/master/AzureLLMInferenceDataset2023.md",
    "date": "2023-11-16",
}
MOONCAKE = {
    "title": "Moonshot AI / Tsinghua: Mooncake FAST'25 traces (kvcache-ai/Mooncake; Qin et al., FAST 2025)",
    "url": "https://github.com/kvcache-ai/Mooncake/tree/main/FAST25-release/traces",
    "date": "2025-02-21",
}
TABLES = {
    "trace_azure_conv": ("AzureLLMInferenceTrace_conv.csv", AZURE),
    "trace_azure_code": ("AzureLLMInferenceTrace_code.csv", AZURE),
    "trace_mooncake_conv": ("conversation_trace.jsonl", MOONCAKE),
    "trace_mooncake_synthetic": ("synthetic_trace.jsonl", MOONCAKE),
}


def read(path: Path) -> pd.DataFrame:
    """One source file as ``arrival_s, input_tokens, output_tokens, hash_ids``."""
    if path.suffix == ".csv":
        raw = pd.read_csv(path)
        t = pd.to_datetime(raw["TIMESTAMP"])
        return pd.DataFrame({"arrival_s": (t - t.iloc[0]).dt.total_seconds().round(6),
                             "input_tokens": raw["ContextTokens"], "output_tokens": raw["GeneratedTokens"],
                             "hash_ids": ""})
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    first = rows[0]["timestamp"]
    return pd.DataFrame({"arrival_s": [(r["timestamp"] - first) / 1000.0 for r in rows],
                         "input_tokens": [r["input_length"] for r in rows],
                         "output_tokens": [r["output_length"] for r in rows],
                         "hash_ids": [" ".join(str(h) for h in r["hash_ids"]) for r in rows]})


def main(folder: str) -> None:
    for name, (file, src) in TABLES.items():
        frame = read(Path(folder) / file)
        frame.insert(0, "request_index", range(len(frame)))
        frame["source_title"] = src["title"]
        frame["source_url"] = src["url"]
        frame["source_date"] = src["date"]
        frame["accessed"] = ACCESSED
        frame["quote"] = [f"{file} record {i + 1}" for i in range(len(frame))]
        frame.to_csv(OUT / f"{name}.csv", index=False, lineterminator="\n")
        print(name, len(frame))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(OUT.parent.parent / "shared" / "traces"))
