"""Charts (ax-first functions) and the PDF report assembled from them."""
