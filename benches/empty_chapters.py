#!/usr/bin/env python3
"""Writes a preprocessor input with every chapter emptied, for benches/floor.sh and
benches/real_book.sh: a run on it costs what mdbook-compare does before any chapter (loading
and checking the dataset) plus the protocol's cost for a book of empty chapters.

Usage: empty_chapters.py INPUT OUTPUT   (both mdBook's `[context, book]` JSON)
"""

import json
import sys


def empty(items):
    """Empties the content of every chapter in `items`, sub-chapters included."""
    for item in items:
        if isinstance(item, dict) and "Chapter" in item:
            item["Chapter"]["content"] = ""
            empty(item["Chapter"]["sub_items"])


def main():
    source, target = sys.argv[1:]
    with open(source) as f:
        context, book = json.load(f)
    empty(book["items"])
    with open(target, "w") as f:
        json.dump([context, book], f)


if __name__ == "__main__":
    main()
