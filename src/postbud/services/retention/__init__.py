"""Rows that are kept only for a while, and the periodic job that prunes them."""
