"""claimscope benchmarks: a fake OpenAI-compatible server, runners and peers (run ``python -m benchmarks``)."""
