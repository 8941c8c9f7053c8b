"""Golden values from scikit-learn for evaluation's tests (sklearn_test.go).

Run in this folder: /usr/bin/python3 make_sklearn.py > sklearn.json
(Debian python3-sklearn; the version is written into the file.)
"""
import csv
import json

import sklearn
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

rows = list(csv.DictReader(open("asah.csv")))
y = [int(r["outcome"]) for r in rows]
s = [float(r["s100b"]) for r in rows]
risk = [min(1.0, v / 2.5) for v in s]  # a probability-like score with ties
print(json.dumps({
    "sklearn": sklearn.__version__,
    "auc": roc_auc_score(y, s),
    "average_precision": average_precision_score(y, s),
    "brier": brier_score_loss(y, risk),
}, indent=2))
