#!/usr/bin/env python3
"""Builds the Listwarden demo exports in this folder, deterministically (stdlib only).

    python3 demo-data/make_demo.py            # rewrites the files next to this script

The demo is a small online shop + B2B newsletter whose list lives in three platforms:

  mailchimp_subscribed.csv    Mailchimp audience export (subscribed members), UTF-8
  mailchimp_unsubscribed.csv  Mailchimp export of unsubscribed members (UNSUB_* columns)
  mailchimp_cleaned.csv       Mailchimp export of cleaned (bounced) members (CLEAN_* columns)
  hubspot_contacts.csv        HubSpot contacts export overlapping the audience, UTF-8 with BOM
  cleverreach_export.csv      CleverReach export: semicolons, German headers, Windows-1252
  events.csv                  opens, clicks, bounces, unsubscribes, purchases, page views, carts

Every file is "as of" REF_DATE (2026-11-01); `listwarden demo` pins its clock there so the
demo reads the same on any day. Problems are planted at fixed rates, as real lists have them:
near-duplicates (case, gmail dots/+tags, googlemail, typos in names, swapped first/last),
typo domains (gmial.com, hotmial.com, gmail.con, yahooo.com), invalid addresses, role and
disposable addresses, test records, ALL CAPS / lower-case names, stray whitespace, mojibake,
an email typed into a name field, people who stopped opening, and conflicting consent
between platforms. Same script, same bytes.
"""
import csv
import datetime as dt
import io
import os
import random

REF_DATE = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261101)

FIRST = ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannah", "Ivan", "Julia",
         "Karl", "Lena", "Max", "Nina", "Oskar", "Paula", "Quentin", "Rosa", "Sven", "Tina",
         "Robert", "William", "Elizabeth", "Katharina", "José", "Zoë", "Jürgen", "Björn",
         "François", "Chloé", "Søren", "Ana", "Luis", "María", "Sophie", "Thomas", "Laura",
         "Michael", "Sarah", "Daniel", "Marie", "Lukas", "Mia", "Jonas", "Lea", "Paul"]
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Smith", "Johnson", "Brown", "García", "Martínez", "López",
        "Dubois", "Lefèvre", "Rossi", "Bianchi", "O'Brien", "Nowak", "Kowalski", "Jensen",
        "Novák", "Horváth", "Silva", "Santos", "Keller", "Vogel", "Krüger", "Hartmann"]
COMPANIES = [("Nordlicht GmbH", "nordlicht.de", "Retail", "51-200"),
             ("Bergblick AG", "bergblick.ch", "Manufacturing", "201-1000"),
             ("Acme Analytics Ltd", "acme-analytics.co.uk", "Software", "11-50"),
             ("Solaris SARL", "solaris.fr", "Energy", "51-200"),
             ("Verde Foods S.L.", "verdefoods.es", "Food & Beverage", "11-50"),
             ("Kiwi Health", "kiwihealth.com", "Healthcare", "1000+"),
             ("Blue Harbor Logistics", "blueharbor.com", "Logistics", "201-1000"),
             ("Pixelwerk", "pixelwerk.at", "Marketing", "1-10"),
             ("Lumen Education", "lumen-edu.org", "Education", "51-200"),
             ("Fjord Finance AS", "fjordfinance.no", "Finance", "201-1000")]
TITLES = ["Marketing Manager", "Head of Marketing", "CEO", "Sales Director", "Buyer",
          "Product Manager", "Software Engineer", "Office Manager", "CFO", "Teacher",
          "Jefe de Marketing", "Responsable marketing", "Einkaufsleiter", "VP, Marketing"]
COUNTRIES = [("DE", "Germany", "Berlin", "+49 30 {0:07d}"), ("AT", "Austria", "Wien", "+43 1 {0:07d}"),
             ("CH", "Switzerland", "Zürich", "+41 44 {0:07d}"), ("FR", "France", "Paris", "+33 1 {0:08d}"),
             ("ES", "Spain", "Madrid", "+34 91 {0:07d}"), ("GB", "United Kingdom", "London", "+44 20 {0:08d}"),
             ("US", "United States", "New York", "+1 212 555 {0:04d}")]
FREEMAIL = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "gmx.de", "web.de", "icloud.com"]
TYPO_DOMAINS = {"gmail.com": ["gmial.com", "gmail.con", "gmai.com"], "hotmail.com": ["hotmial.com"],
                "yahoo.com": ["yahooo.com"], "outlook.com": ["outlok.com"]}
TAGS = ["newsletter", "webinar-2026", "vip", "b2b", "shop", "events", "product-updates"]
LIFECYCLE = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "customer", "evangelist"]


def ascii_fold(s):
    import unicodedata
    s = s.replace("ß", "ss").replace("ø", "o").replace("ł", "l")
    s = unicodedata.normalize("NFKD", s)
    out = s.lower()
    return "".join(c for c in out if c.isascii() and (c.isalnum() or c in ".-'"))


def when(days_ago_min, days_ago_max):
    seconds = rng.randint(days_ago_min * 86400, days_ago_max * 86400)
    return REF_DATE - dt.timedelta(seconds=seconds)


class Person:
    def __init__(self, n):
        self.n = n
        self.first = rng.choice(FIRST)
        self.last = rng.choice(LAST)
        self.company, domain, self.industry, self.size = rng.choice(COMPANIES)
        self.country, self.country_name, self.city, phone_fmt = rng.choice(COUNTRIES)
        digits = int(phone_fmt.split(":")[1][:2])
        self.phone = phone_fmt.format(rng.randint(10 ** (digits - 1), 10 ** digits - 1))
        local = f"{ascii_fold(self.first)}.{ascii_fold(self.last)}".replace("'", "")
        if rng.random() < 0.45:
            self.email = f"{local}{n}@{domain}"
        else:
            self.email = f"{local}{n}@{rng.choice(FREEMAIL)}"
        self.title = rng.choice(TITLES)
        self.joined = when(5, 2200)
        self.tags = sorted(rng.sample(TAGS, rng.randint(0, 3)))
        self.lifecycle = rng.choice(LIFECYCLE)
        self.birthday = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}"
        # Engagement profile: active, cooling, inactive, never engaged.
        self.profile = rng.choices(["active", "cooling", "inactive", "never"], [45, 20, 20, 15])[0]
        self.status = "subscribed"


def plant_problems(people):
    """Mutates some people in place and returns extra near-duplicate rows."""
    for p in people:
        r = rng.random()
        if r < 0.02:
            local, domain = p.email.split("@")
            if domain in TYPO_DOMAINS:
                p.email = f"{local}@{rng.choice(TYPO_DOMAINS[domain])}"
        elif r < 0.035:
            p.email = rng.choice([p.email.replace("@", ""), p.email.replace("@", "@@"),
                                  p.email.split(".")[0] + "@nodot", p.email.replace("@", " @")])
        elif r < 0.045:
            p.email = f"{rng.choice(['info', 'sales', 'office', 'support', 'noreply'])}@{p.email.split('@')[1]}"
        elif r < 0.052:
            p.email = f"{ascii_fold(p.first)}{p.n}@{rng.choice(['mailinator.com', 'guerrillamail.com', 'yopmail.com'])}"
        elif r < 0.058:
            p.email, p.first, p.last = f"test{p.n}@example.com", "Test", "Test"
        elif r < 0.07:
            p.first, p.last = p.first.upper(), p.last.upper()
        elif r < 0.08:
            p.first, p.last = p.first.lower(), p.last.lower()
        elif r < 0.09:
            p.first = f"  {p.first} "
        elif r < 0.095:
            p.last = p.last.encode("utf-8").decode("latin-1")  # mojibake: MÃ¼ller
        elif r < 0.098:
            p.first = p.email
    dups = []
    for p in rng.sample(people, len(people) // 25):
        d = Person(p.n)
        d.__dict__.update(p.__dict__)
        local, domain = p.email.split("@", 1) if "@" in p.email else (p.email, "x")
        variant = rng.choice(["case", "gmaildot", "plus", "googlemail", "typo_name", "swap"])
        if variant == "case":
            d.email = p.email.title()
        elif variant == "gmaildot" and domain == "gmail.com":
            d.email = local.replace(".", "") + "@gmail.com"
        elif variant == "plus":
            d.email = f"{local}+news@{domain}"
        elif variant == "googlemail" and domain == "gmail.com":
            d.email = f"{local}@googlemail.com"
        elif variant == "swap":
            d.first, d.last = p.last, p.first
        else:
            d.first = p.first[:-1] if len(p.first) > 3 else p.first + "a"
        d.phone = p.phone.replace(" ", "")
        dups.append(d)
    return dups


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def mailchimp_time(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


def write_csv(name, header, rows, encoding="utf-8", delimiter=",", bom=False, quoting=csv.QUOTE_MINIMAL):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode(encoding, errors="replace")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data)


def last_activity(p):
    return {"active": when(0, 60), "cooling": when(90, 170), "inactive": when(200, 700), "never": None}[p.profile]


def main():
    people = [Person(n) for n in range(1, 3201)]
    dups = plant_problems(people)
    mc_header = ["Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday",
                 "Company", "Industry", "MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME",
                 "CONFIRM_IP", "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION",
                 "LAST_CHANGED", "LEID", "EUID", "NOTES", "TAGS"]
    audience = people[:2600] + dups[: len(dups) * 2 // 3]
    rng.shuffle(audience)
    unsub, cleaned = [], []
    rows = []
    for i, p in enumerate(audience):
        r = rng.random()
        if r < 0.06:
            unsub.append(p)
            continue
        if r < 0.09:
            cleaned.append(p)
            continue
        last = last_activity(p)
        rating = {"active": 4, "cooling": 3, "inactive": 2, "never": 1}[p.profile]
        rows.append([p.email, p.first, p.last, f"{rng.randint(1, 200)} Main St  {p.city}  {p.country}",
                     p.phone if rng.random() < 0.6 else "", p.birthday, p.company, p.industry, rating,
                     mailchimp_time(p.joined), "", mailchimp_time(p.joined + dt.timedelta(minutes=3)), "",
                     "", "", "", "", "", p.country, "",
                     mailchimp_time(last or p.joined), 100000 + i, f"e{p.n:06x}{i:04x}", "",
                     ",".join(f'"{t}"' for t in p.tags)])
    write_csv("mailchimp_subscribed.csv", mc_header, rows)
    unsub_header = mc_header[:-1] + ["UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_CAMPAIGN_ID", "UNSUB_REASON", "TAGS"]
    write_csv("mailchimp_unsubscribed.csv", unsub_header, [
        [p.email, p.first, p.last, "", "", p.birthday, p.company, p.industry, 1, mailchimp_time(p.joined), "",
         mailchimp_time(p.joined), "", "", "", "", "", "", p.country, "", mailchimp_time(when(10, 300)),
         200000 + i, f"u{i:08x}", "", mailchimp_time(when(10, 300)), "Autumn sale", "c0ffee",
         rng.choice(["", "Too many emails", "Not relevant"]), ""] for i, p in enumerate(unsub)])
    clean_header = mc_header[:-1] + ["CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID", "TAGS"]
    write_csv("mailchimp_cleaned.csv", clean_header, [
        [p.email, p.first, p.last, "", "", "", p.company, p.industry, 1, mailchimp_time(p.joined), "",
         mailchimp_time(p.joined), "", "", "", "", "", "", p.country, "", mailchimp_time(when(10, 300)),
         300000 + i, f"c{i:08x}", "", mailchimp_time(when(10, 300)), "Spring launch", "beef", ""]
        for i, p in enumerate(cleaned)])

    # HubSpot: a third of the audience again (some with other consent), plus B2B leads only
    # HubSpot knows, some without an email at all.
    hs_header = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name", "Job Title",
                 "Lifecycle Stage", "Lead Status", "Create Date", "Country/Region", "City", "Industry",
                 "Number of Employees", "Marketing emails opened", "Marketing emails clicked",
                 "Last marketing email open date", "Unsubscribed from all email", "Preferred Webinar Topic",
                 "Annual Revenue"]
    hs_people = rng.sample(people[:2600], 900) + people[2600:3050] + dups[len(dups) * 2 // 3:]
    rows = []
    for i, p in enumerate(hs_people):
        last = last_activity(p)
        email = p.email if not (p.n > 3000 and rng.random() < 0.3) else ""
        if email and rng.random() < 0.1:
            email = email.upper()
        opens = {"active": rng.randint(5, 40), "cooling": rng.randint(1, 6), "inactive": rng.randint(0, 2), "never": 0}[p.profile]
        rows.append([5000 + i, p.first, p.last, email, p.phone, p.company, p.title, p.lifecycle,
                     rng.choice(["New", "Open", "In Progress", "Connected", ""]),
                     p.joined.strftime("%Y-%m-%d %H:%M"), p.country_name, p.city, p.industry, p.size.split("-")[0].rstrip("+"),
                     opens, opens // 3, last.strftime("%Y-%m-%d %H:%M") if last else "",
                     "true" if rng.random() < 0.05 else "false",
                     rng.choice(["Segmentation", "Deliverability", "Automation", ""]),
                     rng.choice(["", "250000", "1200000", "5000000"])])
    write_csv("hubspot_contacts.csv", hs_header, rows, bom=True)

    # CleverReach: German headers, semicolons, Windows-1252 (umlauts as single bytes).
    cr_header = ["E-Mail", "Vorname", "Nachname", "Firma", "Ort", "Land", "Anmeldedatum", "Aktiv", "Gruppe"]
    cr_people = people[3050:] + rng.sample(people[:2600], 150)
    write_csv("cleverreach_export.csv", cr_header, [
        [p.email, p.first, p.last, p.company, p.city, {"DE": "Deutschland", "AT": "Österreich", "CH": "Schweiz"}.get(p.country, p.country_name),
         p.joined.strftime("%d.%m.%Y %H:%M"), "ja" if rng.random() < 0.92 else "nein", "Newsletter DACH"]
        for p in cr_people], encoding="cp1252", delimiter=";")

    # Events for everyone with an address: opens/clicks by profile, some purchases, browsing.
    rows = []
    for p in people + dups:
        if "@" not in p.email or p.profile == "never":
            continue
        window = {"active": (0, 120), "cooling": (90, 200), "inactive": (200, 720)}[p.profile]
        for _ in range(rng.randint(2, 14)):
            t = when(*window)
            rows.append([p.email, "open", iso(t), "Newsletter " + t.strftime("%Y-%m"), "", ""])
            if rng.random() < 0.3:
                rows.append([p.email, "click", iso(t + dt.timedelta(minutes=2)), "Newsletter " + t.strftime("%Y-%m"),
                             rng.choice(["https://shop.example/pricing", "https://shop.example/new", "https://shop.example/blog"]), ""])
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 4])):
            t = when(*window)
            rows.append([p.email, "page_view", iso(t), "", rng.choice(["/pricing", "/products/lamp", "/blog/tips"]), ""])
            if rng.random() < 0.5:
                amount = f"{rng.randint(15, 400)}.{rng.randint(0, 99):02d}"
                rows.append([p.email, "cart_add", iso(t + dt.timedelta(minutes=5)), "", "/cart", amount])
                if rng.random() < 0.6:
                    rows.append([p.email, "purchase", iso(t + dt.timedelta(minutes=9)), "", "/checkout", amount])
        if rng.random() < 0.01:
            rows.append([p.email, "bounce", iso(when(1, 60)), "Newsletter", "", ""])
    rows.sort(key=lambda r: r[2])
    write_csv("events.csv", ["email", "type", "occurred_at", "campaign", "url", "amount"], rows)


if __name__ == "__main__":
    main()
