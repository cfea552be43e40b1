"""The reading corpus: captures of failed booking attempts drawn in headless Chromium (and
Pillow variants of them), each with the verdict and time a reader should find; see README.md."""
