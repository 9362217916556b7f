//! The Benchmarks Game's binary-trees, single-threaded: allocate many perfect binary trees
//! bottom-up, walk each to count its nodes, and free it, while one long-lived tree stays alive.
//! Every node is its own heap allocation, as the rules ask.
//!
//! Usage: `binary-trees [DEPTH]` (default 10); prints the game's expected output format.

use std::env;
use std::process::ExitCode;

/// The depth of the smallest trees the program builds.
const MIN_DEPTH: u32 = 4;

/// A tree node; a leaf has no children, an inner node has both.
struct Node {
    children: Option<(Box<Node>, Box<Node>)>,
}

/// A perfect tree of the given depth, built from the leaves up.
fn bottom_up(depth: u32) -> Box<Node> {
    let children = (depth > 0).then(|| (bottom_up(depth - 1), bottom_up(depth - 1)));
    Box::new(Node { children })
}

impl Node {
    /// The number of nodes in the tree.
    fn check(&self) -> u64 {
        1 + self
            .children
            .as_ref()
            .map_or(0, |(left, right)| left.check() + right.check())
    }
}

fn main() -> ExitCode {
    let depth = match env::args().nth(1).map(|arg| arg.parse::<u32>()) {
        None => 10,
        Some(Ok(depth)) if depth <= 30 => depth,
        Some(_) => {
            eprintln!("binary-trees: DEPTH must be a whole number from 0 to 30");
            return ExitCode::FAILURE;
        }
    };
    let max_depth = depth.max(MIN_DEPTH + 2);

    let stretch = max_depth + 1;
    println!(
        "stretch tree of depth {stretch}\t check: {}",
        bottom_up(stretch).check()
    );

    let long_lived = bottom_up(max_depth);
    for depth in (MIN_DEPTH..=max_depth).step_by(2) {
        let iterations = 1u64 << (max_depth - depth + MIN_DEPTH);
        let check: u64 = (0..iterations).map(|_| bottom_up(depth).check()).sum();
        println!("{iterations}\t trees of depth {depth}\t check: {check}");
    }
    println!(
        "long lived tree of depth {max_depth}\t check: {}",
        long_lived.check()
    );
    ExitCode::SUCCESS
}
