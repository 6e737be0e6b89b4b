"""Quality evals and speed benchmarks on the real data in ../shared."""
