module mdbook-compare/bench/http-json/go

go 1.27
