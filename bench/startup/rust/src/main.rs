//! A hello-world command-line program: prints one line and exits.

fn main() {
    println!("Hello, world!");
}
