"""The print production line: a released batch's print letters go to the press in print batches."""
