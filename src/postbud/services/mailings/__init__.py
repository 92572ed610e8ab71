"""Mailings that are not letters: one text to many phone numbers (SMS)."""
