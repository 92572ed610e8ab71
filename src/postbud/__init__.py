"""Postbud: one post office, three API dialects."""
