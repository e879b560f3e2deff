"""How long `socialcap.datasets.synthetic` takes to make a big cohort.

Run from the repository: ``python benchmarks/synthetic.py [people] [waves]``
(default 20,000 people over 5 waves).  Prints the best of three runs; asserts
nothing, because timings depend on the machine.
"""

from __future__ import annotations

import sys
import time

from socialcap.datasets import synthetic


def main(people: int = 20_000, waves: int = 5, repeats: int = 3) -> None:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        cohort = synthetic(people=people, waves=waves, seed=1)
        timings.append(time.perf_counter() - start)
    print(f"synthetic(people={people}, waves={waves}): best {min(timings):.2f} s of {repeats} "
          f"(all: {', '.join(f'{t:.2f}' for t in timings)})")
    print(f"  {cohort!r}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
