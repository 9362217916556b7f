//! The Benchmarks Game's spectral-norm, single-threaded: the spectral norm of an infinite
//! matrix, approximated by 10 steps of the power method on its N × N corner.
//!
//! Usage: `spectral-norm [N]` (default 100); prints the norm to nine decimal places.

use std::env;
use std::process::ExitCode;

/// Entry (i, j) of the matrix: 1 / ((i + j)(i + j + 1) / 2 + i + 1).
fn a(i: usize, j: usize) -> f64 {
    1.0 / (((i + j) * (i + j + 1) / 2 + i + 1) as f64)
}

/// `out = A · v`.
fn multiply_av(v: &[f64], out: &mut [f64]) {
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = v.iter().enumerate().map(|(j, x)| a(i, j) * x).sum();
    }
}

/// `out = Aᵀ · v`.
fn multiply_atv(v: &[f64], out: &mut [f64]) {
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = v.iter().enumerate().map(|(j, x)| a(j, i) * x).sum();
    }
}

/// `out = Aᵀ · A · v`, with `scratch` for the intermediate vector.
fn multiply_atav(v: &[f64], scratch: &mut [f64], out: &mut [f64]) {
    multiply_av(v, scratch);
    multiply_atv(scratch, out);
}

fn main() -> ExitCode {
    let n = match env::args().nth(1).map(|arg| arg.parse::<usize>()) {
        None => 100,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("spectral-norm: N must be a positive whole number");
            return ExitCode::FAILURE;
        }
    };
    let mut u = vec![1.0; n];
    let mut v = vec![0.0; n];
    let mut scratch = vec![0.0; n];
    for _ in 0..10 {
        multiply_atav(&u, &mut scratch, &mut v);
        multiply_atav(&v, &mut scratch, &mut u);
    }
    let vbv: f64 = u.iter().zip(&v).map(|(x, y)| x * y).sum();
    let vv: f64 = v.iter().map(|y| y * y).sum();
    println!("{:.9}", (vbv / vv).sqrt());
    ExitCode::SUCCESS
}
