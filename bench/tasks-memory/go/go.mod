module mdbook-compare/bench/tasks-memory/go

go 1.27
