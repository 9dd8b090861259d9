"""Fuzz the whole pipeline with mutants of the real content for as long as wanted.

    python scripts/fuzz.py --count 100000 [--seed 7] [--build-every 4]

Each input is one content file damaged by one or more mutations (see ``tests/test_fuzz.py``);
every input must either build or be refused with problems at a file and line. The first input
that does anything else (an exception other than ContentError, a malformed problem, a hang) is
saved under ``fuzz-failures/`` with its seed and index, and the script exits 1.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_fuzz import MUTATORS, Fuzzer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="how many inputs to run")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="the run's seed")
    parser.add_argument(
        "--build-every", type=int, default=4, help="run a full build on every Nth input"
    )
    args = parser.parse_args()
    tally = {"built": 0, "refused": 0}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="factsheet-fuzz-") as work:
        fuzzer = Fuzzer(Path(work))
        for index in range(args.count):
            rng = random.Random(f"{args.seed}:{index}")
            mutators = [rng.choice(MUTATORS) for _ in range(rng.choice([1, 1, 1, 2, 3, 8]))]
            name, data = fuzzer.mutant(rng, mutators)
            try:
                outcome = fuzzer.run(name, data, build=index % args.build_every == 0)
            except Exception:
                saved = ROOT / "fuzz-failures" / f"seed{args.seed}-input{index}" / name
                saved.parent.mkdir(parents=True, exist_ok=True)
                saved.write_bytes(data)
                traceback.print_exc()
                kinds = ", ".join(m.__name__ for m in mutators)
                print(f"input {index} (seed {args.seed}): {name} after {kinds}; saved {saved}")
                return 1
            tally["built" if outcome.built else "refused"] += 1
            if (index + 1) % 500 == 0:
                print(f"{index + 1} inputs, {time.monotonic() - started:.0f} s", flush=True)
    print(
        f"{args.count} inputs (seed {args.seed}): {tally['built']} built, "
        f"{tally['refused']} refused with problems, 0 failures, "
        f"{time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
