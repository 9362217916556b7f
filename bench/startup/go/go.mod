module mdbook-compare/bench/startup/go

go 1.27
