#!/usr/bin/python3
"""Reference values for @ovus/ml-selection's association statistics, computed independently with
SciPy, scikit-learn and statsmodels (Debian's packages), written to association.json next to this
script.

Rerun (needs Debian's python3-scipy, python3-sklearn, python3-statsmodels, which install for
/usr/bin/python3 only):

    apt-get install -y python3-scipy python3-sklearn python3-statsmodels
    /usr/bin/python3 libs/ml/selection/test/reference/make-reference.py

What is independent of the TypeScript code:
- chi-square (with and without Yates): scipy.stats.chi2_contingency on the table without empty
  rows/columns (SciPy refuses a zero row: the TypeScript drops it, so the reference is the reduced
  table);
- Fisher 2x2: scipy.stats.fisher_exact (p and sample odds ratio);
- Freeman-Halton r x 2: a brute-force enumeration here of every r x 2 table with the same margins,
  probabilities from scipy.stats.multivariate_hypergeom (not the TypeScript's recursion and
  log-factorials);
- Cramer's V: scipy.stats.contingency.association(method='cramer');
- mutual information: sklearn.metrics.mutual_info_score(contingency=...) / ln 2;
- Holm: statsmodels.stats.multitest.multipletests(method='holm').
Degenerate tables (a zero row, a single class, everything in one cell) have hand-derived values,
written in the test itself.
"""

import itertools
import json
import math
import os

import numpy as np
import scipy
import scipy.stats as st
import sklearn
import statsmodels
from scipy.stats.contingency import association
from sklearn.metrics import mutual_info_score
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = {"scipy": scipy.__version__, "sklearn": sklearn.__version__, "statsmodels": statsmodels.__version__}

# The paper's dataset table (rows = codes, columns = benign, malignant).
PAPER = {
    "blood_flow": [[110, 6], [64, 77]],
    "boundary": [[170, 63], [4, 20]],
    "echogenicity": [[109, 13], [29, 18], [5, 8], [31, 44]],
    "morphology": [[152, 36], [22, 47]],
    "papillary": [[155, 70], [19, 13]],
    "septation": [[103, 71], [71, 12]],
    "solid": [[141, 42], [33, 41]],
}

EXTRA = {
    "small-2x2": [[3, 1], [1, 3]],
    "tiny-skewed": [[8, 0], [1, 5]],
    "zero-row": [[10, 4], [0, 0], [3, 9]],
    "sparse-3x2": [[2, 0], [1, 3], [0, 4]],
    "balanced": [[20, 20], [20, 20]],
    "large-2x2": [[1200, 800], [700, 1300]],
}


def reduce(table):
    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0]
    t = t[:, t.sum(axis=0) > 0]
    return t


def freeman_halton(table):
    t = np.asarray(reduce(table), dtype=int)
    rows = t.sum(axis=1)
    malignant = int(t[:, 1].sum())
    n = int(t.sum())
    def prob(xs):
        return st.multivariate_hypergeom.pmf(x=list(xs), m=list(rows), n=malignant)
    observed = prob(t[:, 1])
    total = 0.0
    count = 0
    for xs in itertools.product(*[range(0, int(r) + 1) for r in rows[:-1]]):
        last = malignant - sum(xs)
        if last < 0 or last > rows[-1]:
            continue
        count += 1
        p = prob(list(xs) + [last])
        if p <= observed * (1 + 1e-7):
            total += p
    return min(1.0, total), count


def case(name, table):
    red = reduce(table)
    out = {"name": name, "table": table}
    chi_yates = st.chi2_contingency(red, correction=True)
    chi_plain = st.chi2_contingency(red, correction=False)
    out["chi2"] = float(chi_yates[0])
    out["chi2P"] = float(chi_yates[1])
    out["chi2Uncorrected"] = float(chi_plain[0])
    out["chi2UncorrectedP"] = float(chi_plain[1])
    out["df"] = int(chi_yates[2])
    out["minExpected"] = float(np.min(chi_yates[3]))
    out["cramersV"] = float(association(red.astype(int), method="cramer"))
    out["miBits"] = float(mutual_info_score(None, None, contingency=np.asarray(table)) / math.log(2))
    if red.shape == (2, 2):
        odds, p = st.fisher_exact(red)
        out["exactP"] = float(p)
        out["oddsRatio"] = float(odds) if np.isfinite(odds) else "inf"
    else:
        p, count = freeman_halton(table)
        out["exactP"] = float(p)
        out["exactTables"] = count
    return out


def main():
    cases = [case(k, v) for k, v in {**PAPER, **EXTRA}.items()]
    paper_p = [c["chi2P"] for c in cases[: len(PAPER)]]
    holm = multipletests(paper_p, method="holm")[1]
    mixed = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04]
    payload = {
        "generatedBy": "make-reference.py",
        "versions": VERSIONS,
        "cases": cases,
        "holm": [
            {"p": paper_p, "adjusted": [float(v) for v in holm]},
            {"p": mixed, "adjusted": [float(v) for v in multipletests(mixed, method="holm")[1]]},
        ],
    }
    with open(os.path.join(HERE, "association.json"), "w") as f:
        json.dump(payload, f, indent=1, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
