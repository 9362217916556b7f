//! N concurrent tokio tasks that each wait: spawns them all, reports how long spawning took,
//! then waits for every task to finish.
//!
//! Usage: `tasks-memory N SECONDS`; prints `spawn_ms MILLISECONDS` once all have finished.

use std::env;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Reads argument `index` as a whole number.
fn argument(index: usize) -> Option<u64> {
    env::args().nth(index)?.parse().ok()
}

#[tokio::main]
async fn main() -> ExitCode {
    let (Some(tasks), Some(seconds)) = (argument(1), argument(2)) else {
        eprintln!("usage: tasks-memory N SECONDS (two whole numbers)");
        return ExitCode::FAILURE;
    };
    let wait = Duration::from_secs(seconds);
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| tokio::spawn(tokio::time::sleep(wait)))
        .collect();
    let spawned = start.elapsed();
    for handle in handles {
        if let Err(err) = handle.await {
            eprintln!("tasks-memory: a task failed: {err}");
            return ExitCode::FAILURE;
        }
    }
    println!("spawn_ms {:.3}", spawned.as_secs_f64() * 1000.0);
    ExitCode::SUCCESS
}
