"""Repair's own language models (the learned OCR channel), built by scripts in ``scripts/``."""
