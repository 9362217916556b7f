"""The suite's workloads, in the order a full run measures them (the builds last, since they
load both cores)."""

from . import (
    binary_size,
    builds,
    connection_memory,
    cpu,
    dependencies,
    gc_heap,
    http_json,
    http_postgres,
    json_doc,
    startup,
    tasks_memory,
    wasm_size,
)

ALL = [
    http_json.WORKLOAD,
    http_postgres.WORKLOAD,
    connection_memory.WORKLOAD,
    gc_heap.WORKLOAD,
    tasks_memory.WORKLOAD,
    *cpu.WORKLOADS,
    json_doc.WORKLOAD,
    startup.WORKLOAD,
    builds.WORKLOAD,
    binary_size.WORKLOAD,
    dependencies.WORKLOAD,
    wasm_size.WORKLOAD,
]
BY_ID = {workload.id: workload for workload in ALL}
