"""Scoring cost against parsing alone (issue: foundation, performance).

Generates N random valid answer records (partial ones included), then in one run:
  (a) only `json.loads` each record;
  (b) the whole in-process pipeline: `json.loads`, check the answer document, score.
Prints both times and their ratio. Target: (b) at most 4x (a).

    python benchmarks/bench_score.py [--records 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from rls_screen.core import vocab
from rls_screen.core.answers import parse_document
from rls_screen.core.bank import load_bank
from rls_screen.core.engine import evaluate

# Free-text answers (own_words) as people write them: short, sometimes two lines.
TEXTS = (
    "like fizzy water in my calves",
    "My legs have wiggles inside and I have to get up.\nIt feels like bugs.",
    "creepy crawly, deep in the bones; worse on long drives",
)


def random_record(bank, rng: random.Random) -> str:
    answers = {}
    for item in bank.items.values():
        if rng.random() < 0.15:  # some items unanswered
            continue
        if item.kind == "text":
            answers[item.id] = rng.choice(TEXTS)
        elif item.kind == "single":
            answers[item.id] = rng.choice(item.codes)
        elif vocab.NONE in item.codes and rng.random() < 0.3:
            answers[item.id] = [vocab.NONE]
        else:
            others = [c for c in item.codes if c != vocab.NONE]
            answers[item.id] = rng.sample(others, rng.randint(1, min(3, len(others))))
    doc = {"instrument": "rls-screen", "instrument_version": bank.instrument.version}
    doc["answers"] = answers
    return json.dumps(doc)


def time_parse(records: list[str]) -> float:
    start = time.perf_counter()
    for record in records:
        json.loads(record)
    return time.perf_counter() - start


def time_score(bank, records: list[str]) -> float:
    start = time.perf_counter()
    for record in records:
        evaluate(bank, parse_document(json.loads(record), bank, "bench"))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeats", type=int, default=5, help="paired runs; the median ratio counts"
    )
    args = parser.parse_args()

    bank = load_bank()
    rng = random.Random(args.seed)
    records = [random_record(bank, rng) for _ in range(args.records)]
    size = sum(len(r) for r in records)
    # Paired: each chunk is parsed, then scored, so a slow spell of this machine hits
    # both alike; each repeat gives a ratio and the median counts.
    chunks = [records[i : i + 5_000] for i in range(0, len(records), 5_000)]
    parse_times, score_times, ratios = [], [], []
    for _ in range(args.repeats):
        parse = score = 0.0
        for chunk in chunks:
            parse += time_parse(chunk)
            score += time_score(bank, chunk)
        parse_times.append(parse)
        score_times.append(score)
        ratios.append(score / parse)
    parse, total = statistics.median(parse_times), statistics.median(score_times)
    print(f"records: {args.records:,} ({size / args.records:.0f} bytes each on average)")
    print(f"json.loads only:        {parse:.3f} s  ({parse / args.records * 1e6:.1f} us/record)")
    print(f"parse + check + score:  {total:.3f} s  ({total / args.records * 1e6:.1f} us/record)")
    print(
        f"ratio: {statistics.median(ratios):.2f}x (target <= 4x; "
        f"repeats {min(ratios):.2f}x to {max(ratios):.2f}x)"
    )


if __name__ == "__main__":
    main()
