"""Signing requests: a letter whose document each signer signs in their inbox before it is delivered."""
