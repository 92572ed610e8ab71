"""Keys and certificates, neutral of any dialect: loading them, and minting throw-away ones."""
