"""Pure extraction: document bytes to text, text to agenda items, items to appeal statistics."""
