"""Language data built by scripts/build_langdata.py."""
