//! Parses one JSON document into typed structs with serde_json and serialises it back, timing
//! both. The document is the one `bench/run json` generates: a list of customer records.
//!
//! Usage: `json-doc FILE ITERATIONS OUT`: writes one serialisation to OUT (for the harness to
//! compare with FILE), then prints the mean time of one parse and one serialisation:
//! `parse_ms MS` and `serialize_ms MS`.

use std::env;
use std::fs;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use serde::{Deserialize, Serialize};

/// The whole document.
#[derive(Serialize, Deserialize)]
struct Document {
    generator: String,
    customers: Vec<Customer>,
}

/// One customer record.
#[derive(Serialize, Deserialize)]
struct Customer {
    id: u64,
    name: String,
    email: String,
    active: bool,
    score: f64,
    tags: Vec<String>,
    address: Address,
    orders: Vec<Order>,
}

/// A postal address.
#[derive(Serialize, Deserialize)]
struct Address {
    street: String,
    city: String,
    postcode: String,
}

/// One order line.
#[derive(Serialize, Deserialize)]
struct Order {
    sku: String,
    quantity: u32,
    price: f64,
}

/// Runs the measurement; any error is a message for the user.
fn run(args: &[String]) -> Result<(), String> {
    let [_, input, iterations, output] = args else {
        return Err("usage: json-doc FILE ITERATIONS OUT".into());
    };
    let iterations: u32 = iterations
        .parse()
        .map_err(|err| format!("ITERATIONS {iterations:?}: {err}"))?;
    let bytes = fs::read(input).map_err(|err| format!("reading {input}: {err}"))?;
    let document: Document =
        serde_json::from_slice(&bytes).map_err(|err| format!("parsing {input}: {err}"))?;
    let written = serde_json::to_vec(&document).map_err(|err| format!("serialising: {err}"))?;
    fs::write(output, written).map_err(|err| format!("writing {output}: {err}"))?;

    let start = Instant::now();
    for _ in 0..iterations {
        let parsed: Document = serde_json::from_slice(black_box(&bytes))
            .map_err(|err| format!("parsing {input}: {err}"))?;
        black_box(parsed);
    }
    let parse = start.elapsed();
    let start = Instant::now();
    for _ in 0..iterations {
        let text =
            serde_json::to_vec(black_box(&document)).map_err(|err| format!("serialising: {err}"))?;
        black_box(text);
    }
    let serialize = start.elapsed();
    let per_iteration = |total: std::time::Duration| total.as_secs_f64() * 1000.0 / f64::from(iterations);
    println!("parse_ms {:.4}", per_iteration(parse));
    println!("serialize_ms {:.4}", per_iteration(serialize));
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("json-doc: {message}");
            ExitCode::FAILURE
        }
    }
}
