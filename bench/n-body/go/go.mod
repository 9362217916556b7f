module mdbook-compare/bench/n-body/go

go 1.27
