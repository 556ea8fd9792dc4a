"""Image inputs: expanding references, downloading URLs and decoding safely."""
