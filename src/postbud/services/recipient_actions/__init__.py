"""What a letter's recipient (and, for purge, its sender) does with it once it is published:
fetch, read, confirm, download a document, purge. Each is one transaction and appends an event."""
