"""Print, for each 0/1 column of a CSV corpus, the share of its yes and no texts holding each word:
`python scripts/word_rates.py FILE WORD [WORD ...] [--text-column text]` (how configs/indicator/satp.yaml
names ConfliBERT's unnamed label columns)."""
import argparse

from eventcoder.indicators import word_rates

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("path")
parser.add_argument("words", nargs="+")
parser.add_argument("--text-column", default="text")
args = parser.parse_args()
for column, rates in word_rates(args.path, args.words, args.text_column).items():
    yes, no = rates.pop("(texts)")
    print(f"{column} ({yes} yes / {no} no): " + ", ".join(f"{w} {a:.2f} vs {b:.2f}" for w, (a, b) in rates.items()))
