"""EDI: senders of EDI invoices and their invitations to connect with a receiver."""
