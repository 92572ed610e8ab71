"""Repositories: load and store domain objects. One module per aggregate."""
