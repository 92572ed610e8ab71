"""Mail an organisation received, read by the organisation's own systems (Digipost's inbox API)."""
