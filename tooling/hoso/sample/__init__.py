"""A deterministic generator of an obviously fictional province, for samples and benchmarks."""
