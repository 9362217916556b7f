"""The suite's workloads, in the order a full run measures them (the builds last, since they
load both cores)."""

from . import binary_size, builds, cpu, dependencies, gc_heap, http_json, json_doc, startup, tasks_memory, wasm_size

ALL = [http_json.WORKLOAD, tasks_memory.WORKLOAD, *cpu.WORKLOADS, json_doc.WORKLOAD, startup.WORKLOAD, builds.WORKLOAD, binary_size.WORKLOAD, dependencies.WORKLOAD, wasm_size.WORKLOAD, gc_heap.WORKLOAD]
BY_ID = {workload.id: workload for workload in ALL}
