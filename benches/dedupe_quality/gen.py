#!/usr/bin/env python3
"""Deterministic labelled data for measuring duplicate detection (stdlib only).

    python3 benches/dedupe_quality/gen.py OUTDIR [--seed N] [--size N]

Writes three contact exports and their truth files into OUTDIR:

  persons.csv  / persons.truth.csv   person records without email: names, street, postcode,
                                     city, date of birth, social security id (FEBRL-like)
  messy.csv    / messy.truth.csv     messy records: first name, surname, birth date, city,
                                     email, many values missing or mistyped
  messy_wide.csv / ...truth.csv      the messy kind again with a realistic name pool: ~500
                                     given names and ~1,250 surnames, Zipf-distributed, so
                                     that, as in real lists, two strangers rarely share a
                                     full name (the small pools above make that common,
                                     which understates what a name match is worth)
  b2b.csv      / b2b.truth.csv       multilingual B2B contacts: email, phone, company, job
                                     title, city, country; colleagues share a company and
                                     domain, and common names recur in one city for
                                     different people (none of these are duplicates)

Each truth file maps the export's `id` column to an `entity`: records with one entity are
one person. Planted duplicate variations: typos (insert, delete, substitute, transpose),
swapped first/last name, nicknames, diacritics and transliteration, missing fields,
reformatted addresses, phones and dates, email case/alias/provider changes.

The weights in src/dedupe/score.rs were chosen from principles and checked on this data;
it is not the held-out data the issue's acceptance test uses.
"""
import argparse
import csv
import os
import random

FIRST = ["Anna", "Thomas", "Maria", "Michael", "Julia", "Stefan", "Laura", "Andreas", "Sophie",
         "Jürgen", "Zoë", "José", "François", "Björn", "Łukasz", "Søren", "Chloé", "Matteo",
         "Giulia", "Luca", "Elena", "Pablo", "Lucía", "Hans", "Johannes", "Robert", "William",
         "Katharina", "Peter", "Sarah", "David", "Emma", "Lena", "Felix", "Jonas", "Marie",
         "Paul", "Lea", "Max", "Nina", "Ivan", "Olga", "Ahmet", "Fatma", "Mehmet", "Aylin",
         "Carlos", "Isabel", "Sven", "Ingrid", "Henrik", "Astrid", "Pierre", "Camille"]
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
        "Martínez", "García", "López", "Rossi", "Bianchi", "Romano", "Dubois", "Lefèvre",
        "Moreau", "Nowak", "Kowalski", "Jensen", "Nielsen", "Andersson", "Johansson", "Smith",
        "Jones", "Taylor", "Brown", "Yılmaz", "Kaya", "Öztürk", "Vogel", "Krüger", "Hartmann",
        "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Maier", "Huber", "Fuchs", "Keller",
        "Zimmermann", "Braun", "Hofmann", "Schäfer", "Bauer", "Jäger", "Roth", "Seidel"]
NICK = {"Robert": "Bob", "William": "Bill", "Johannes": "Hans", "José": "Pepe",
        "Michael": "Mike", "Thomas": "Tom", "Katharina": "Kathrin", "Andreas": "Andi",
        "Stefan": "Steffen", "Peter": "Pete", "David": "Dave", "Elena": "Lena"}
CITIES = [("Berlin", "10115", "DE"), ("München", "80331", "DE"), ("Hamburg", "20095", "DE"),
          ("Köln", "50667", "DE"), ("Wien", "1010", "AT"), ("Zürich", "8001", "CH"),
          ("Paris", "75001", "FR"), ("Lyon", "69001", "FR"), ("Madrid", "28001", "ES"),
          ("Barcelona", "08001", "ES"), ("Milano", "20121", "IT"), ("Roma", "00118", "IT"),
          ("London", "EC1A 1BB", "GB"), ("Kraków", "30-001", "PL"), ("København", "1050", "DK"),
          ("Stockholm", "111 20", "SE"), ("Frankfurt", "60311", "DE"), ("Graz", "8010", "AT")]
STREETS = ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "Lindenallee",
           "Rue de la Paix", "Calle Mayor", "Via Roma", "High Street", "Kirchgasse",
           "Goethestraße", "Marktplatz", "Mozartstraße", "Bergstraße", "Am Hang"]
STREET_ABBR = {"straße": ["str.", "strasse", "Str."], "Street": ["St", "St."], "Rue": ["R."]}
DOMAINS_FREE = ["gmail.com", "gmx.de", "web.de", "yahoo.com", "outlook.com", "hotmail.de",
                "orange.fr", "libero.it", "t-online.de"]
COMPANIES = ["Bergblick AG", "Solaris SARL", "Verde Foods S.L.", "Fjord Finance AS",
             "Pixelwerk GmbH", "Nordlicht Logistik GmbH", "Alpina Software AG",
             "Costa Azul S.A.", "Lumen Analytics Ltd", "Quadra Consulting SRL",
             "Hafenbau KG", "Blauwal Media GmbH", "Sierra Data S.L.", "Tessin Pharma SA",
             "Helvetia Robotics AG", "Krone Versicherung AG", "Atelier Lumière SAS",
             "Mercato Digitale SpA", "Vinterhav AB", "Polar Systems Oy"]
TITLES = [("Marketing Manager", "Responsable marketing", "Leiter Marketing"),
          ("Software Engineer", "Softwareentwickler", "Ingeniero de software"),
          ("Sales Director", "Vertriebsleiter", "Directeur commercial"),
          ("Product Manager", "Produktmanager", "Responsabile di prodotto"),
          ("CEO", "Geschäftsführer", "Directeur général"),
          ("Accountant", "Buchhalter", "Contable"), ("HR Manager", "Personalleiter", "DRH")]


def typo(rng, s):
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.randrange(4)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if op == 0:
        return s[:i] + s[i + 1:]
    if op == 1:
        return s[:i] + rng.choice(letters) + s[i:]
    if op == 2:
        return s[:i] + rng.choice(letters) + s[i + 1:]
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def translit(s):
    for a, b in (("ü", "ue"), ("ö", "oe"), ("ä", "ae"), ("ß", "ss"), ("é", "e"), ("è", "e"),
                 ("á", "a"), ("í", "i"), ("ç", "c"), ("ø", "o"), ("ł", "l"), ("ı", "i"),
                 ("ë", "e"), ("Ü", "Ue"), ("Ö", "Oe"), ("Ł", "L")):
        s = s.replace(a, b)
    return s


def ascii_local(s):
    return translit(s).lower().replace(" ", "").replace("'", "")


def dob(rng):
    return (rng.randrange(1940, 2004), rng.randrange(1, 13), rng.randrange(1, 29))


def fmt_date(rng, d, messy=False):
    y, m, dd = d
    if messy and rng.random() < 0.3:
        return f"{dd:02d}.{m:02d}.{y}"
    return f"{y:04d}-{m:02d}-{dd:02d}"


def vary_dob(rng, d):
    y, m, dd = d
    r = rng.random()
    if r < 0.4 and dd <= 12:
        return (y, dd, m)
    if r < 0.7:
        return (y, m, min(28, max(1, dd + rng.choice((-1, 1)))))
    return (y + rng.choice((-1, 1)), m, dd)


def vary_name(rng, first, last):
    r = rng.random()
    if r < 0.25:
        return typo(rng, first), last
    if r < 0.5:
        return first, typo(rng, last)
    if r < 0.6:
        return last, first
    if r < 0.75 and first in NICK:
        return NICK[first], last
    if r < 0.9:
        return translit(first), translit(last)
    return first.upper(), last.upper()


def vary_street(rng, s):
    for long, shorts in STREET_ABBR.items():
        if long in s and rng.random() < 0.7:
            return s.replace(long, rng.choice(shorts))
    return typo(rng, s) if rng.random() < 0.5 else s.lower()


def persons(rng, n):
    rows, truth = [], []
    people = []
    for e in range(n):
        city, pc, _ = rng.choice(CITIES)
        people.append(dict(first=rng.choice(FIRST), last=rng.choice(LAST),
                           street=f"{rng.choice(STREETS)} {rng.randrange(1, 120)}",
                           postcode=pc, city=city, dob=dob(rng),
                           ssn=str(rng.randrange(1000000, 9999999))))
    rid = 0
    for e, p in enumerate(people):
        copies = 1 + (rng.choice((1, 1, 1, 2, 3)) if rng.random() < 0.35 else 0)
        for c in range(copies):
            q = dict(p)
            if c > 0:
                for _ in range(rng.choice((1, 1, 2, 3))):
                    k = rng.randrange(7)
                    if k == 0:
                        q["first"], q["last"] = vary_name(rng, q["first"], q["last"])
                    elif k == 1:
                        q["street"] = vary_street(rng, q["street"]) if q["street"] else None
                    elif k == 2:
                        q["dob"] = vary_dob(rng, q["dob"]) if q["dob"] else None
                    elif k == 3:
                        q[rng.choice(("street", "postcode", "ssn", "dob", "city"))] = None
                    elif k == 4:
                        q["ssn"] = typo(rng, q["ssn"]) if q["ssn"] else None
                    elif k == 5:
                        q["postcode"] = typo(rng, q["postcode"]) if q["postcode"] else None
                    else:
                        q["city"] = translit(q["city"]) if q["city"] else None
            rid += 1
            rows.append({"id": f"p{rid}", "given_name": q["first"], "surname": q["last"],
                         "street": q["street"] or "", "postcode": q["postcode"] or "",
                         "city": q["city"] or "",
                         "date_of_birth": fmt_date(rng, q["dob"]) if q["dob"] else "",
                         "soc_sec_id": q["ssn"] or ""})
            truth.append((f"p{rid}", e))
    return rows, truth


def wide_names(rng, base, heads, tails):
    """A name sampler over `base` plus every head+tail compound, Zipf-distributed (weight
    rank^-0.6 over a shuffled order, so the commonest name is 2-3% of people): a few
    common names and a long tail of rare ones, as in real sign-up lists and in
    Faker-style synthetic sets."""
    pool = list(base) + [h + t for h in heads for t in tails]
    rng.shuffle(pool)
    cum, total = [], 0.0
    for rank in range(len(pool)):
        total += (rank + 1) ** -0.6
        cum.append(total)
    return lambda r: r.choices(pool, cum_weights=cum)[0]


FIRST_HEADS = ["Al", "An", "Ben", "Cel", "Da", "El", "Em", "Fe", "Ga", "Hel", "Il", "Jo", "Ka",
               "Le", "Ma", "Ne", "Ol", "Pe", "Ra", "Sa", "Te", "Vi", "Wil", "Ya", "Zo"]
FIRST_TAILS = ["bert", "da", "den", "dric", "la", "lia", "lina", "na", "nora", "ra", "rick",
               "rin", "ssa", "ther", "vin", "win"]
LAST_HEADS = ["Ash", "Bar", "Bel", "Berg", "Black", "Bram", "Brook", "Cal", "Cam", "Car", "Dal",
              "Dun", "Eck", "Ell", "Fair", "Fen", "Gar", "Gold", "Hal", "Har", "Hol", "Kirk",
              "Lang", "Lind", "Mar", "Mont", "Nor", "Ost", "Pen", "Ros", "Sal", "Sil", "Stan",
              "Sund", "Thorn", "Val", "Wal", "West", "Wil", "Win"]
LAST_TAILS = ["by", "dale", "er", "ford", "gard", "ham", "holm", "ley", "lund", "man", "mann",
              "mont", "more", "ner", "ridge", "sen", "ski", "son", "ton", "well", "wick", "wood",
              "berg", "feld", "ini", "etti", "ez", "ard", "ot", "ova"]


def messy(rng, n, pick_first=lambda r: r.choice(FIRST), pick_last=lambda r: r.choice(LAST)):
    rows, truth = [], []
    rid = 0
    for e in range(n):
        first, last = pick_first(rng), pick_last(rng)
        d = dob(rng)
        city = rng.choice(CITIES)[0]
        email = f"{ascii_local(first)}.{ascii_local(last)}{rng.randrange(1, 99)}@{rng.choice(DOMAINS_FREE)}"
        copies = rng.choice((1, 1, 1, 2, 2, 3, 4, 5))
        for c in range(copies):
            f, l, dd, ci, em = first, last, d, city, email
            if c > 0:
                if rng.random() < 0.4:
                    f, l = vary_name(rng, f, l)
                if rng.random() < 0.3:
                    dd = vary_dob(rng, dd)
                if rng.random() < 0.3:
                    em = typo(rng, em)
                if rng.random() < 0.2:
                    ci = translit(ci)
            # Missing values everywhere, as in real sign-up data.
            f = None if rng.random() < 0.08 else f
            l = None if rng.random() < 0.08 else l
            dd = None if rng.random() < 0.15 else dd
            ci = None if rng.random() < 0.2 else ci
            em = None if rng.random() < 0.2 else em
            rid += 1
            rows.append({"id": f"m{rid}", "first_name": f or "", "surname": l or "",
                         "dob": fmt_date(rng, dd, True) if dd else "", "city": ci or "",
                         "email": em or ""})
            truth.append((f"m{rid}", e))
    return rows, truth


def phone_for(rng, cc):
    prefix = {"DE": "+49 30", "AT": "+43 1", "CH": "+41 44", "FR": "+33 1", "ES": "+34 91",
              "IT": "+39 02", "GB": "+44 20", "PL": "+48 12", "DK": "+45 33", "SE": "+46 8"}[cc]
    return f"{prefix} {rng.randrange(1000000, 9999999)}"


def reformat_phone(rng, p):
    cc, area, num = p.split(" ")
    r = rng.random()
    if r < 0.4:
        return f"{cc}{area}{num}"
    if r < 0.7:
        return f"00{cc[1:]} {area} {num[:3]} {num[3:]}"
    return f"{cc} ({area}) {num}"


def b2b(rng, n_companies, per_company):
    rows, truth = [], []
    rid = 0
    e = 0
    # A few very common names, reused for different people in one city.
    common = [("Thomas", "Müller"), ("Anna", "Schmidt"), ("Maria", "García"), ("David", "Smith"),
              ("Marie", "Dubois"), ("Luca", "Rossi")]
    for ci in range(n_companies):
        base = COMPANIES[ci % len(COMPANIES)]
        company = base if ci < len(COMPANIES) else f"{base.split()[0]} {ci} {base.split()[-1]}"
        domain = ascii_local(company.split()[0]) + (str(ci) if ci >= len(COMPANIES) else "") + \
            rng.choice((".de", ".com", ".ch", ".fr", ".es", ".it"))
        city, _, cc = rng.choice(CITIES)
        for _ in range(per_company):
            if rng.random() < 0.12:
                first, last = rng.choice(common)
            else:
                first, last = rng.choice(FIRST), rng.choice(LAST)
            title = rng.choice(TITLES)
            lang = rng.randrange(3)
            email = f"{ascii_local(first)}.{ascii_local(last)}@{domain}"
            if any(r["email"] == email for r in rows[-per_company * 2:]):
                email = f"{ascii_local(first)[0]}.{ascii_local(last)}{rng.randrange(2, 9)}@{domain}"
            phone = phone_for(rng, cc) if rng.random() < 0.8 else ""
            copies = 1 + (1 if rng.random() < 0.25 else 0) + (1 if rng.random() < 0.05 else 0)
            for c in range(copies):
                f, l, em, ph, co, ti = first, last, email, phone, company, title[lang]
                if c > 0:
                    k = rng.randrange(8)
                    if k == 0:
                        em = em.upper()
                    elif k == 1:
                        em = f"{ascii_local(first)}.{ascii_local(last)}{rng.randrange(1, 99)}@{rng.choice(DOMAINS_FREE)}"
                    elif k == 2:
                        f, l = vary_name(rng, f, l)
                    elif k == 3:
                        ph = reformat_phone(rng, phone) if ph else ph
                    elif k == 4:
                        ti = title[(lang + 1) % 3]
                    elif k == 5:
                        co = co.replace(" GmbH", "").replace(" AG", "").replace(" S.L.", " SL")
                    elif k == 6:
                        ph = ""
                        f, l = translit(f), translit(l)
                    else:
                        em = typo(rng, em.split("@")[0]) + "@" + em.split("@")[1]
                    if rng.random() < 0.3:
                        ph = reformat_phone(rng, phone) if ph else ph
                rid += 1
                rows.append({"id": f"b{rid}", "first_name": f, "last_name": l, "email": em,
                             "phone": ph, "company": co, "job_title": ti, "city": city,
                             "country": cc})
                truth.append((f"b{rid}", e))
            e += 1
    return rows, truth


def write(outdir, name, rows, truth, rng):
    order = list(range(len(rows)))
    rng.shuffle(order)
    with open(os.path.join(outdir, f"{name}.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        for i in order:
            w.writerow(rows[i])
    with open(os.path.join(outdir, f"{name}.truth.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "entity"])
        for i in order:
            w.writerow(truth[i])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--size", type=int, default=2000, help="entities per kind")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rng = random.Random(a.seed)
    write(a.outdir, "persons", *persons(rng, a.size), rng)
    write(a.outdir, "messy", *messy(rng, a.size), rng)
    write(a.outdir, "b2b", *b2b(rng, max(1, a.size // 12), 12), rng)
    # Last, so the three kinds above stay byte-identical to earlier runs.
    wide = (wide_names(rng, FIRST, FIRST_HEADS, FIRST_TAILS),
            wide_names(rng, LAST, LAST_HEADS, LAST_TAILS))
    write(a.outdir, "messy_wide", *messy(rng, a.size, *wide), rng)


if __name__ == "__main__":
    main()
