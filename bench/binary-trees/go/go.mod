module mdbook-compare/bench/binary-trees/go

go 1.27
