module mdbook-compare/bench/wasm-size/go

go 1.27
