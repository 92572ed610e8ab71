"""Tags a sender puts on people."""
