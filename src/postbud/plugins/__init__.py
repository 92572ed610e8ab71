"""Dialects as plug-ins: the protocol a dialect implements, and the one registry that wires them."""
