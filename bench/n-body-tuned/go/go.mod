module mdbook-compare/bench/n-body-tuned/go

go 1.27
