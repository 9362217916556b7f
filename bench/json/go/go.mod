module mdbook-compare/bench/json/go

go 1.27
