module mdbook-compare/bench/spectral-norm/go

go 1.27
