#!/usr/bin/env python3
"""A second B2B set, built on Faker's locale data instead of our own name lists.

    python3 benches/dedupe_quality/faker_b2b.py OUTDIR [--seed N] [--companies N]

gen.py's B2B kind draws names, companies and titles from lists written next to the
matcher; this one takes them from Faker (`pip install faker`: names, companies, job
titles and phone numbers of seven locales), and plants the traps real B2B lists hold:

  - colleagues share a switchboard number (half of them) and a mail pattern
    (first.last@, f.last@, firstl@ or first@ — one per company);
  - family firms: colleagues sharing a surname;
  - namesakes: a few names per city reused by people at different companies, and two
    people of one name at one company (the second mailbox numbered, as mail admins do);
  - duplicates (a quarter of people once, a twentieth twice) vary in one to three
    ways: a personal address at a free-mail provider, an upper-cased or mistyped
    address, accents dropped, a nickname or initial, the company without its legal
    form, the title in English, the phone without spaces or left out, first and last
    name swapped, a typo in the surname.

Writes fkb2b.csv (HubSpot-like headers, `Record ID` as id) and fkb2b.truth.csv. When
Faker is not installed it says so and writes nothing.
"""
import argparse
import csv
import os
import random
import unicodedata

LOCALES = {
    "de_DE": ("DE", ["Berlin", "München", "Hamburg", "Köln"], ["web.de", "gmx.de", "gmail.com", "t-online.de"]),
    "fr_FR": ("FR", ["Paris", "Lyon", "Marseille"], ["orange.fr", "gmail.com", "free.fr", "laposte.net"]),
    "es_ES": ("ES", ["Madrid", "Barcelona", "Sevilla"], ["gmail.com", "hotmail.es", "yahoo.es"]),
    "it_IT": ("IT", ["Milano", "Roma", "Torino"], ["libero.it", "gmail.com", "virgilio.it"]),
    "en_GB": ("GB", ["London", "Manchester", "Leeds"], ["gmail.com", "hotmail.co.uk", "btinternet.com"]),
    "nl_NL": ("NL", ["Amsterdam", "Rotterdam"], ["gmail.com", "ziggo.nl", "kpnmail.nl"]),
    "pl_PL": ("PL", ["Warszawa", "Kraków"], ["wp.pl", "gmail.com", "onet.pl"]),
}
NICKNAMES = {"Robert": "Bob", "William": "Bill", "Katherine": "Kate", "Elizabeth": "Liz",
             "Margaret": "Maggie", "Thomas": "Tom", "James": "Jim", "Michael": "Mike",
             "Jennifer": "Jen", "Richard": "Rick", "Alexander": "Alex", "Christopher": "Chris",
             "Daniel": "Dan", "Joseph": "Joe", "Samuel": "Sam"}


def ascii_fold(s):
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("Ä", "Ae"), ("Ö", "Oe"),
                 ("Ü", "Ue"), ("ł", "l"), ("Ł", "L")):
        s = s.replace(a, b)
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def local(s):
    return "".join(c for c in ascii_fold(s).lower() if c.isalnum())


def typo(rng, s):
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    k = rng.randrange(3)
    if k == 0:
        return s[:i] + s[i + 1:]
    if k == 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + rng.choice("aeiourstn") + s[i + 1:]


def vary(rng, rec, person, free, english):
    """One duplicate of `rec`, changed in one to three ways."""
    f, l, em, ph, co, ti = rec
    lf, ll = person
    for k in rng.sample(range(10), rng.randrange(1, 4)):
        if k == 0:
            sep = rng.choice([".", "", "_"])
            em = f"{lf}{sep}{ll}{rng.choice(['', str(rng.randrange(1, 99))])}@{rng.choice(free)}"
        elif k == 1:
            box, dom = em.split("@")
            em = em.upper() if rng.random() < 0.5 else f"{typo(rng, box)}@{dom}"
        elif k == 2:
            f, l = ascii_fold(f), ascii_fold(l)
        elif k == 3:
            f = NICKNAMES.get(f, f[0] + ".")
        elif k == 4:
            co = co.split(",")[0]
            for form in (" GmbH", " AG", " S.A.", " SpA", " Ltd", " S.L."):
                co = co.replace(form, "")
        elif k == 5:
            ti = english.job()
        elif k == 6:
            ph = "".join(c for c in ph if c not in " ()-")
        elif k == 7:
            ph = ""
        elif k == 8:
            f, l = l, f
        else:
            l = typo(rng, l)
    return f, l, em, ph, co, ti


def generate(seed, companies):
    from faker import Faker

    rng = random.Random(seed)
    fakers = {loc: Faker(loc) for loc in LOCALES}
    for fk in fakers.values():
        fk.seed_instance(rng.randrange(10**9))
    english = Faker("en_GB")
    english.seed_instance(rng.randrange(10**9))
    rows, used, shared_names = [], set(), {}
    entity = 0
    for _ in range(companies):
        loc = rng.choice(list(LOCALES))
        fk = fakers[loc]
        country, cities, free = LOCALES[loc]
        city = rng.choice(cities)
        company = fk.company()
        domain = local(company.split()[0])[:14] + rng.choice([".com", "." + country.lower(), ".eu"])
        board = fk.phone_number()
        pattern = rng.randrange(4)
        pool = shared_names.setdefault(city, [(fk.first_name(), fk.last_name()) for _ in range(3)])
        family = fk.last_name()
        for _ in range(rng.randrange(3, 16)):
            r = rng.random()
            if r < 0.12:
                first, last = rng.choice(pool)
            elif r < 0.2:
                first, last = fk.first_name(), family
            else:
                first, last = fk.first_name(), fk.last_name()
            lf, ll = local(first), local(last)
            box = [f"{lf}.{ll}", f"{lf[:1]}.{ll}", f"{lf}{ll[:1]}", lf][pattern]
            email = f"{box}@{domain}"
            n = 2
            while email in used:
                email = f"{lf}.{ll}{n}@{domain}"
                n += 1
            used.add(email)
            phone = board if rng.random() < 0.5 else fk.phone_number()
            rec = (first, last, email, phone, company, fk.job())
            copies = 1 + (rng.random() < 0.25) + (rng.random() < 0.05)
            for c in range(copies):
                values = rec if c == 0 else vary(rng, rec, (lf, ll), free, english)
                rows.append((entity, values, city, country))
            entity += 1
    rng.shuffle(rows)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--companies", type=int, default=250)
    a = ap.parse_args()
    try:
        rows = generate(a.seed, a.companies)
    except ImportError:
        print("faker_b2b: faker not installed (pip install faker), set skipped")
        return
    os.makedirs(a.outdir, exist_ok=True)
    header = ["Record ID", "Email", "First Name", "Last Name", "Company", "Job Title", "Phone",
              "City", "Country"]
    with open(os.path.join(a.outdir, "fkb2b.csv"), "w", newline="", encoding="utf-8") as out, \
            open(os.path.join(a.outdir, "fkb2b.truth.csv"), "w", newline="", encoding="utf-8") as truth:
        w, t = csv.writer(out), csv.writer(truth)
        w.writerow(header)
        t.writerow(["id", "entity"])
        for i, (entity, (f, l, em, ph, co, ti), city, country) in enumerate(rows, 1):
            w.writerow([f"r{i}", em, f, l, co, ti, ph, city, country])
            t.writerow([f"r{i}", entity])


if __name__ == "__main__":
    main()
