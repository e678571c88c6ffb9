"""claimscope benchmarks: a fake OpenAI-compatible server, runners and peers (`python -m benchmarks`)."""
