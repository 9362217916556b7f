module mdbook-compare/bench/gc-heap/go

go 1.27
