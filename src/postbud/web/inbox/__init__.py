"""The recipient inbox at /inbox: sign-in, the letter list, letters and their datatype cards."""
