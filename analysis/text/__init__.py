"""Reading text: documents and corpus folders, markup blanked, page furniture cut with
offsets kept, sentences, and file names for what is made from them."""
