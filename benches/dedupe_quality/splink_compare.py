#!/usr/bin/env python3
"""Splink, run unsupervised, on the files benches/dedupe_quality/gen.py writes, scored the
way `cargo bench --bench dedupe_quality` scores listwarden, for a side-by-side.

    pip install splink            # duckdb backend; pandas is not needed
    python3 benches/dedupe_quality/gen.py /tmp/dq
    python3 benches/dedupe_quality/public_sets.py /tmp/dq [--fake1000 PATH]
    python3 benches/dedupe_quality/splink_compare.py /tmp/dq [--kind fake1000 ...]

Per kind it builds the model Splink's own tutorials build for such data (name, date,
email and place comparisons with term frequencies; blocking on name, date and email
combinations), trains it without labels (probability two random records match from
deterministic rules at an assumed recall of 0.7, u by random sampling, m by EM over two
blocking passes), predicts pairs at match probability 0.9 and clusters them (connected
components) at 0.95. The truth file is read only to score the result.

Values are lower-cased and trimmed, birth dates rewritten to ISO and phones reduced to
their digits first, as Splink expects standardised input; nothing else is cleaned.
"""
import argparse
import csv
import os
import sys
import time

import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def clean(value):
    value = (value or "").strip().lower()
    return value or None


def iso_date(value):
    value = clean(value)
    if value and len(value) == 8 and value.isdigit():  # FEBRL's 19081209
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    if value and "." in value:
        parts = value.split(".")
        if len(parts) == 3:
            d, m, y = parts
            return f"{y}-{m.zfill(2)}-{d.zfill(2)}"
    return value


def digits(value):
    out = "".join(c for c in (value or "") if c.isdigit())
    return out[-9:] or None


KINDS = {
    "persons": dict(
        columns={"given_name": "first_name", "surname": "surname", "street": "street",
                 "postcode": "postcode", "city": "city", "date_of_birth": "dob",
                 "soc_sec_id": "ssn"},
        comparisons=lambda: [
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.LevenshteinAtThresholds("street", 2),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("ssn", 1),
        ],
        blocking=[block_on("first_name", "surname"), block_on("surname", "dob"),
                  block_on("first_name", "dob"), block_on("ssn"), block_on("postcode", "street")],
        deterministic=[block_on("first_name", "surname", "dob"), block_on("ssn")],
        em=[block_on("first_name", "surname"), block_on("dob")],
    ),
    "messy": dict(
        columns={"first_name": "first_name", "surname": "surname", "dob": "dob",
                 "city": "city", "email": "email"},
        comparisons=lambda: [
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
        ],
        blocking=[block_on("first_name", "surname"), block_on("surname", "dob"),
                  block_on("first_name", "dob"), block_on("email"),
                  block_on("city", "first_name")],
        deterministic=[block_on("first_name", "surname", "dob"), block_on("email")],
        em=[block_on("first_name", "surname"), block_on("dob")],
    ),
    "b2b": dict(
        columns={"first_name": "first_name", "last_name": "surname", "email": "email",
                 "phone": "phone", "company": "company", "job_title": "job_title",
                 "city": "city", "country": "country"},
        comparisons=lambda: [
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone"),
            cl.JaroWinklerAtThresholds("company", [0.9]),
            cl.ExactMatch("job_title"),
            cl.ExactMatch("city"),
        ],
        blocking=[block_on("first_name", "surname"), block_on("email"), block_on("phone"),
                  block_on("company", "surname")],
        deterministic=[block_on("email"), block_on("phone")],
        em=[block_on("company"), block_on("first_name", "surname")],
    ),
}


KINDS["messy_wide"] = KINDS["messy"]
# The public sets of public_sets.py, under their own id columns.
KINDS["fake1000"] = dict(KINDS["messy"], id="unique_id")
KINDS["fkb2b"] = dict(
    KINDS["b2b"], id="Record ID",
    columns={"First Name": "first_name", "Last Name": "surname", "Email": "email",
             "Phone": "phone", "Company": "company", "Job Title": "job_title",
             "City": "city", "Country": "country"},
)
for _n in (1, 2, 3, 4):
    KINDS[f"febrl{_n}"] = dict(
        KINDS["persons"], id="rec_id",
        columns={"given_name": "first_name", "surname": "surname", "address_1": "street",
                 "street_number": "street_number", "postcode": "postcode",
                 "suburb": "city", "date_of_birth": "dob", "soc_sec_id": "ssn"},
    )


def f1(p, r):
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def prf(predicted, truth):
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(truth) if truth else 1.0
    return p, r, f1(p, r)


def pairs_of(groups):
    out = set()
    for g in groups:
        g = sorted(g)
        for i, a in enumerate(g):
            for b in g[i + 1:]:
                out.add((a, b))
    return out


def evaluate(directory, kind):
    spec = KINDS[kind]
    rows = []
    with open(os.path.join(directory, f"{kind}.csv"), newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f, skipinitialspace=True):
            row = {"unique_id": rec[spec.get("id", "id")].strip()}
            for src, dst in spec["columns"].items():
                row[dst] = clean(rec.get(src))
            if "dob" in row:
                row["dob"] = iso_date(row["dob"])
            if "street_number" in row:  # FEBRL: house number and street in two columns
                number = row.pop("street_number")
                row["street"] = " ".join(v for v in (number, row["street"]) if v) or None
            if "phone" in row:
                row["phone"] = digits(row["phone"])
            rows.append(row)
    entity = {}
    with open(os.path.join(directory, f"{kind}.truth.csv"), newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            entity[rec["id"]] = rec["entity"]
    true_groups = {}
    for rid, e in entity.items():
        true_groups.setdefault(e, []).append(rid)
    true_groups = [g for g in true_groups.values() if len(g) > 1]
    truth = pairs_of(true_groups)

    started = time.time()
    db_api = DuckDBAPI()
    df = db_api.register(rows)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=spec["comparisons"](),
        blocking_rules_to_generate_predictions=spec["blocking"],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(df, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(spec["deterministic"],
                                                                  recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in spec["em"]:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.9)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.95)
    pred_rows = predictions.as_record_list()
    cluster_rows = clusters.as_record_list()
    elapsed = time.time() - started

    predicted = {tuple(sorted((r["unique_id_l"], r["unique_id_r"]))) for r in pred_rows}
    by_cluster = {}
    for r in cluster_rows:
        by_cluster.setdefault(r["cluster_id"], []).append(r["unique_id"])
    groups = [g for g in by_cluster.values() if len(g) > 1]
    pp, pr, pf = prf(predicted, truth)
    cp, cr, cf = prf(pairs_of(groups), truth)
    true_set = {frozenset(g) for g in true_groups}
    exact = sum(1 for g in groups if frozenset(g) in true_set)
    gp = exact / len(groups) if groups else 1.0
    gr = exact / len(true_groups) if true_groups else 1.0
    print(f"{kind:<8} {len(rows):>6} recs {len(truth):>6} true pairs | pairwise P {pp:.3f} "
          f"R {pr:.3f} F1 {pf:.3f} | clusters-as-pairs P {cp:.3f} R {cr:.3f} F1 {cf:.3f} | "
          f"exact groups P {gp:.3f} R {gr:.3f} F1 {f1(gp, gr):.3f} | {elapsed:.1f} s",
          flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("directory", help="where gen.py wrote its files")
    ap.add_argument("--kind", choices=sorted(KINDS), action="append")
    a = ap.parse_args()
    for kind in a.kind or ["persons", "messy", "b2b", "messy_wide"]:
        evaluate(a.directory, kind)
    return 0


if __name__ == "__main__":
    sys.exit(main())
