"""Benchmarks (`make bench`): each module measures one thing against a reference in the same run and
prints one JSON line (prefixed BENCH_JSON) and a one-line summary. Not tests: nothing here asserts a time."""
