"""How sure a ratio is: for each pair of languages, the ratio of their medians and a 95% interval
around it, which the book's verdicts read (a difference is clear only when the interval lies
outside an equivalence band around 1).

The method, stated in bench/README.md too:

- **bootstrap** (runs of a varying quantity, at least two per language): a percentile bootstrap
  of the ratio of medians. Each of 10,000 resamples draws, with replacement, as many runs as
  each language had, and takes the ratio of the two resampled medians; the interval runs from
  the 251st to the 9,750th of the 10,000 sorted ratios (the 2.5th and 97.5th percentiles). The
  random numbers come from Python's Mersenne Twister seeded with `SEED` afresh for every
  interval, so the same runs always give the same interval, and `bench/run --from-raw` rewrites
  the committed files byte for byte.
- **exact** (a deterministic quantity, such as a file size, marked with a band of width 0):
  the ratio itself, `low = high = ratio`.
- A varying quantity with fewer than two runs for a language gets no interval: one run says
  nothing about the spread.
"""

import random
import statistics
from dataclasses import dataclass

RESAMPLES = 10_000
CONFIDENCE = 0.95
SEED = 22
BOOTSTRAP = "bootstrap"
EXACT = "exact"


@dataclass(frozen=True)
class Band:
    """The equivalence band around 1 a metric's verdict uses, when not the book's default: for
    a deterministic metric, width 0 and why it is deterministic."""

    width: float
    reason: str


@dataclass(frozen=True)
class Interval:
    """The ratio of the medians of `of` over `over`, and its 95% interval."""

    of: str
    over: str
    ratio: float
    low: float
    high: float
    method: str


def _resampled_median(rng, values):
    """The median of `len(values)` draws from `values` with replacement."""
    count = len(values)
    return statistics.median([values[int(rng.random() * count)] for _ in range(count)])


def bootstrap_bounds(of_runs, over_runs, resamples=RESAMPLES, confidence=CONFIDENCE, seed=SEED):
    """The percentile-bootstrap interval of median(of_runs) / median(over_runs): (low, high)."""
    rng = random.Random(seed)
    ratios = sorted(_resampled_median(rng, of_runs) / _resampled_median(rng, over_runs) for _ in range(resamples))
    tail = round(resamples * (1 - confidence) / 2)
    return ratios[tail], ratios[resamples - tail - 1]


def interval(of, over, of_runs, over_runs, deterministic=False):
    """The interval of one pair of languages, or None when their runs cannot give one.
    Ratio and bounds are exact (unrounded)."""
    if not of_runs or not over_runs:
        return None
    ratio = statistics.median(of_runs) / statistics.median(over_runs)
    if deterministic:
        return Interval(of, over, ratio, ratio, ratio, EXACT)
    if len(of_runs) < 2 or len(over_runs) < 2:
        return None
    low, high = bootstrap_bounds(of_runs, over_runs)
    return Interval(of, over, ratio, low, high, BOOTSTRAP)


def intervals(runs, deterministic=False):
    """The intervals of a metric's runs, `{language id: [values]}`: one per pair of languages,
    each later language in the runs' order over each earlier one."""
    languages = list(runs)
    found = []
    for index, over in enumerate(languages):
        for of in languages[index + 1 :]:
            pair = interval(of, over, runs[of], runs[over], deterministic)
            if pair is not None:
                found.append(pair)
    return found
