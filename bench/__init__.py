"""Benchmarks of Newsroom (``make bench``); see docs/performance.md."""
