"""Progress lines on the terminal (standard error), each with the time since the run started."""

import sys
import time

_START = time.monotonic()
_prefix = "bench"


def set_prefix(prefix):
    """Names the workload that the following lines are about."""
    global _prefix
    _prefix = prefix


def log(message):
    """Prints one progress line."""
    elapsed = time.monotonic() - _START
    print(f"[{elapsed // 60:02.0f}:{elapsed % 60:02.0f} {_prefix}] {message}", file=sys.stderr, flush=True)
