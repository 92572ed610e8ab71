"""Benchmarks: run by hand (``.venv/bin/python -m bench.digipost_send``), never as timed tests."""
