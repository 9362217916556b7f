module mdbook-compare/bench/regex-redux/go

go 1.27
