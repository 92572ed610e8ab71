"""A sender's document archive: archiving, finding and changing archived documents."""
