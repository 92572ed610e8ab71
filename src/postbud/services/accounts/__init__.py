"""User accounts a sender creates or activates for people."""
