"""Load-test data: an organisation, its service teams and a year of tickets with their history.

    python bench/generate.py --tickets 1000000 --employees 50000 [--database-url URL]
                             [--seed 1] [--months 12] [--append]

Rows are written in big batches with raw executemany (SQLite) or COPY (PostgreSQL), one
transaction per batch; table and column names come from the models' _meta, so the generator
follows the schema and stops with a clear message when a model gains a column it does not fill.
The secondary indexes of the ticket tables (and on PostgreSQL their foreign keys) are dropped
during the load and rebuilt from their own definitions afterwards (--keep-indexes keeps them).

It bypasses the services on purpose, for speed: the numbers, statuses and history it writes
mirror what `loket.tickets.services` writes. Results are in bench/README.md.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import json
import math
import os
import random
import sys
import time
import unicodedata
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIRS = (REPO_ROOT / "loket" / "demo" / "data", REPO_ROOT.parent / "shared" / "demo-org")

# ---------------------------------------------------------------- the organisation

# (code, name, parent code, share of the employees)
ORG_UNITS = (
    ("DIR", "Directie en bestuursondersteuning", None, 1.0),
    ("DIR-BO", "Bestuursondersteuning", "DIR", 1.5),
    ("DIR-CC", "Concerncontrol", "DIR", 1.0),
    ("BV", "Bedrijfsvoering", None, 0.5),
    ("BV-ICT", "Informatievoorziening & ICT", "BV", 5.0),
    ("BV-PO", "Personeel & Organisatie", "BV", 2.5),
    ("BV-FAC", "Facilitair bedrijf", "BV", 3.5),
    ("BV-FIN", "Financiën", "BV", 2.5),
    ("BV-COM", "Communicatie", "BV", 1.2),
    ("BV-JUR", "Juridische zaken", "BV", 1.2),
    ("PUB", "Publiekszaken", None, 0.5),
    ("PUB-BZ", "Burgerzaken", "PUB", 6.0),
    ("PUB-KCC", "Klantcontactcentrum", "PUB", 5.0),
    ("PUB-BEL", "Belastingen", "PUB", 3.0),
    ("RW", "Ruimte en Wonen", None, 0.5),
    ("RW-VTH", "Vergunningen, toezicht en handhaving", "RW", 7.0),
    ("RW-RO", "Ruimtelijke ordening", "RW", 4.0),
    ("RW-WON", "Wonen", "RW", 3.0),
    ("SD", "Sociaal Domein", None, 0.5),
    ("SD-WI", "Werk en Inkomen", "SD", 9.0),
    ("SD-WMO", "Wmo en Jeugd", "SD", 8.0),
    ("SD-OND", "Onderwijs", "SD", 2.5),
    ("OR", "Openbare Ruimte", None, 0.5),
    ("OR-BEH", "Beheer openbare ruimte", "OR", 9.0),
    ("OR-AFV", "Afval en reiniging", "OR", 7.0),
    ("OR-GRN", "Groen en water", "OR", 5.0),
)
TOP_UNIT = "DIR"
UNIT_BUILDING = {"DIR": 0, "BV": 0, "PUB": 2, "RW": 1, "SD": 4, "OR": 3}
# (building, address, floors, rooms per floor)
BUILDINGS = (
    ("Stadskantoor", "Stadhuisplein 1, Voorbeeldstad", 7, 12),
    ("Stadswerf", "Werfkade 12, Voorbeeldstad", 4, 8),
    ("Publiekshal", "Marktplein 3, Voorbeeldstad", 2, 6),
    ("Gemeentewerf Noord", "Industrieweg 40, Voorbeeldstad", 1, 8),
    ("Sociaal Plein", "Kerkstraat 88, Voorbeeldstad", 3, 6),
)
# The unit that staffs each department's back office; the central servicedesk sits in ICT.
STAFF_UNIT = {"ICT": "BV-ICT", "HRM": "BV-PO", "FAC": "BV-FAC", "FIN": "BV-FIN", "COM": "BV-COM"}
STAFF_UNIT["JUR"] = "BV-JUR"
FRONT_OFFICE_CODE = "SERVICEDESK"
EMAIL_DOMAIN = "voorbeeldstad.nl"

# Dutch names as they occur in a municipality's staff list.
_FIRST = (
    "Jan Pieter Kees Henk Willem Johan Gerrit Sander Mark Dennis Bas Tim Thomas Lars Daan Sem Jesse "
    "Ruben Bram Niels Jeroen Martijn Erik Rob Marcel Ahmed Mohamed Youssef Mehmet Emre Bart Koen "
    "Stijn Joost Wouter Hans Frank Rik Gijs Thijs Vincent Patrick Arjen Remco Hidde Jelle Sjoerd Wim "
    "Ton Anne Lotte Sanne Femke Iris Eva Sophie Julia Emma Lisa Anouk Marieke Ingrid Monique Petra "
    "Marloes Esther Linda Karin Saskia Annemiek Wilma Fatima Noor Yasmina Ayşe Priya Chantal Wendy "
    "Hanneke Nicole Ilse Mirjam Els Joke Astrid Yvonne Floor Roos Fleur Merel Lieke Jolanda Margriet "
    "Ria Kim Daphne Manon Nadia Samira Tessa Naomi Bianca Renée Loes Gerda Tineke Dewi Sevda"
)
_LAST = (
    "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|"
    "de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|"
    "Dijkstra|Smits|de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|"
    "van den Heuvel|van der Veen|van den Broek|de Bruijn|de Bruin|van der Heijden|Schouten|"
    "van Beek|Willems|van Vliet|van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam|"
    "van der Wal|Prins|Blom|Huisman|Peeters|de Lange|Kuipers|van Wijk|Postma|Kramer|"
    "van den Bosch|Kuijpers|Veenstra|Scholten|Timmermans|Hermans|Yilmaz|El Amrani|Bouzid|"
    "Kaya|Öztürk|Ramdin|Sewnath|Hazelaar|Meulenbelt|Groen|Post|Wouters|Claassen|Bosman|"
    "Evers|Sluijter|Zwart|Boersma|Terpstra|Haasnoot|van Rijn|Verbeek|Molenaar|Brinkman|"
    "Kamphuis|Nijland|Ouwehand|Steenbergen|Tuinstra|El Idrissi|Çelik|Nguyen|Soekhai|Pinas"
)
FIRST_NAMES = tuple(_FIRST.split())
LAST_NAMES = tuple(_LAST.split("|"))

# ---------------------------------------------------------------- the tickets

# Share of tickets per department (HRM ~10%); departments not listed get DEFAULT_DEPARTMENT_WEIGHT.
DEPARTMENT_WEIGHTS = {"ICT": 40, "FAC": 20, "HRM": 10, "FIN": 13, "COM": 8, "JUR": 9}
DEFAULT_DEPARTMENT_WEIGHT = 5
CHANNELS = {"portal": 55, "email": 20, "phone": 17, "walk_in": 5, "api": 3}
IMPACTS = {3: 78, 2: 17, 1: 5}
URGENCIES = {2: 55, 3: 30, 1: 15}
HOURS = (0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 2, 8, 12, 12, 11, 7, 10, 10, 9, 6, 3, 1.2, 1, 0.8, 0.6, 0.4, 0.3)
WEEKDAYS = (1.15, 1.05, 1.0, 1.0, 0.8, 0.06, 0.04)
# Median hours to resolve per priority; log-normal around it.
RESOLVE_HOURS = {1: 3, 2: 8, 3: 24, 4: 48, 5: 120}
KWIS_SPEED = {"I": 0.5, "W": 1.0, "S": 0.8, "K": 1.6}
RESOLVE_SIGMA = 1.1
ACCEPTANCE_SECONDS = 7 * 86400  # five business days, then Loket closes it (actor None)

SHARE_WORKED = 0.5  # tickets with an "in behandeling" step before they are resolved
SHARE_ASSIGNED = 0.9
SHARE_ACCEPTED = 0.35  # the requester closes it; the rest closes at the end of the acceptance period
SHARE_REOPENED = 0.02
SHARE_WAITING_CUSTOMER = 0.2
SHARE_WAITING_SUPPLIER = 0.07
SHARE_PUBLIC_COMMENT = 0.12
SHARE_INTERNAL_NOTE = 0.04

RESOLUTIONS = {
    "I": ("Informatie verstrekt.", "Vraag beantwoord, zie de reactie.", "Verwezen naar het intranet."),
    "W": ("Aanvraag uitgevoerd.", "Geleverd en klaargezet bij de balie.", "Aanvraag verwerkt."),
    "S": ("Storing verholpen.", "Opgelost na herstart van de dienst.", "Defect onderdeel vervangen."),
    "K": ("Klacht besproken met de melder en afgehandeld.", "Excuses aangeboden, werkwijze aangepast."),
}
PUBLIC_COMMENTS = (
    "Wij hebben je melding in behandeling genomen en nemen binnenkort contact met je op.",
    "Kun je aangeven vanaf wanneer dit speelt en of collega's er ook last van hebben?",
    "Dank voor je geduld. We wachten nog op de leverancier.",
    "Ik heb je gebeld maar kreeg geen gehoor; wil je terugbellen naar de servicedesk?",
    "De aanvraag is goedgekeurd door je leidinggevende en wordt deze week uitgevoerd.",
)
INTERNAL_NOTES = (
    "Doorgezet naar tweede lijn.",
    "Leverancier gebeld, ticketnummer volgt.",
    "Melder is vaker in contact geweest over dit onderwerp.",
    "Afgestemd met de teamleider.",
)
REOPEN_REASONS = ("Het probleem is nog niet opgelost.", "Het werkt nog steeds niet.", "Niet geleverd.")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="tickets to add (default 100000)")
    parser.add_argument(
        "--employees", type=int, default=5_000, help="employees the organisation has at least (default 5000)"
    )
    parser.add_argument("--database-url", help="overrides DATABASE_URL, e.g. postgres://user@host/name")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--months", type=int, default=12, help="spread tickets over this many months")
    parser.add_argument("--append", action="store_true", help="add tickets when the database has some")
    parser.add_argument("--batch-size", type=int, default=50_000, help="tickets per transaction")
    parser.add_argument(
        "--keep-indexes",
        action="store_true",
        help="keep indexes (and PostgreSQL foreign keys) during the load; slower, and the default "
        "when appending fewer tickets than there are",
    )
    args = parser.parse_args(argv)
    for name in ("tickets", "employees"):
        if getattr(args, name) < 0:
            parser.error(f"--{name} cannot be negative")
    if args.months < 1 or args.batch_size < 1:
        parser.error("--months and --batch-size must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    return Generator(args).run()


def pool(weights: dict, size: int = 1000) -> tuple:
    """A lookup table for fast weighted picks: pool[int(random() * len(pool))]."""
    total = sum(weights.values())
    table: list = []
    for value, weight in weights.items():
        table.extend([value] * round(size * weight / total))
    return tuple(table)


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


# ---------------------------------------------------------------- writing rows


class Writer:
    """Bulk inserts with names from _meta; keeps the time and row count per table."""

    def __init__(self, connection):
        self.connection = connection
        self.vendor = connection.vendor
        self.qn = connection.ops.quote_name
        self.stats: dict[str, list[float]] = {}
        self.models: list = []  # written with explicit ids: their sequences need a reset
        self._sql: dict = {}

    @property
    def raw(self):
        self.connection.ensure_connection()
        return self.connection.connection

    def columns(self, model, names: tuple[str, ...]) -> list[str]:
        """Columns for these field names; refuse when the model has a required column we skip."""
        meta = model._meta
        given = set(names)
        for field in meta.concrete_fields:
            if field.name not in given and not field.null and field.db_default is _not_provided():
                raise SystemExit(
                    f"{meta.label}.{field.name} is a required column that bench/generate.py does not "
                    "fill yet; add it to the generator."
                )
        return [meta.get_field(name).column for name in names]

    def statement(self, model, names: tuple[str, ...]) -> str:
        key = (model, names)
        if key not in self._sql:
            table = self.qn(model._meta.db_table)
            cols = ", ".join(self.qn(c) for c in self.columns(model, names))
            if self.vendor == "postgresql":
                self._sql[key] = f"COPY {table} ({cols}) FROM STDIN"
            else:
                mark = "?" if self.vendor == "sqlite" else "%s"
                self._sql[key] = f"INSERT INTO {table} ({cols}) VALUES ({', '.join([mark] * len(names))})"
        return self._sql[key]

    def insert(self, model, names: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        sql = self.statement(model, names)
        started = time.perf_counter()
        if self.vendor == "sqlite":
            self.raw.executemany(sql, rows)
        elif self.vendor == "postgresql":
            with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            with self.connection.cursor() as cursor:
                cursor.executemany(sql, rows)
        if model not in self.models:
            self.models.append(model)
        stat = self.stats.setdefault(model._meta.label, [0, 0.0])
        stat[0] += len(rows)
        stat[1] += time.perf_counter() - started

    def execute(self, sql: str, params=()) -> list:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def next_id(self, model) -> int:
        table, pk = self.qn(model._meta.db_table), self.qn(model._meta.pk.column)
        return (self.execute(f"SELECT MAX({pk}) FROM {table}")[0][0] or 0) + 1

    def load_helpers(self, model) -> list[tuple[str, str, str]]:
        """(kind, drop, create) statements for what slows a bulk load into this table and can be rebuilt
        from its own definition afterwards: indexes that back no constraint and, on PostgreSQL,
        the foreign keys (re-adding one checks all rows in one pass instead of one by one)."""
        table = model._meta.db_table
        qn = self.qn
        if self.vendor == "sqlite":
            indexes = self.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
            return [("index", f"DROP INDEX {qn(name)}", sql) for name, sql in indexes]
        if self.vendor != "postgresql":
            return []
        indexes = self.execute(
            "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index x "
            "JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
            "AND NOT x.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)",
            [qn(table)],
        )
        foreign_keys = self.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [qn(table)],
        )
        return [("index", f"DROP INDEX {qn(name)}", sql) for name, sql in indexes] + [
            (
                "foreign key",
                f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}",
                f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}",
            )
            for name, definition in foreign_keys
        ]

    def reset_sequences(self) -> None:
        """Move the id sequences past the ids written here (PostgreSQL; SQLite does it itself)."""
        from django.core.management.color import no_style

        for sql in self.connection.ops.sequence_reset_sql(no_style(), self.models):
            self.execute(sql)


def _not_provided():
    from django.db.models.fields import NOT_PROVIDED

    return NOT_PROVIDED


def clock(first: int, last: int, suffix: str):
    """Epoch seconds to the text the database stores (UTC), through two lookup tables."""
    base = first // 86400
    epoch = datetime(1970, 1, 1)
    days = [(epoch + timedelta(days=d)).strftime("%Y-%m-%d ") for d in range(base, last // 86400 + 2)]
    tod = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{suffix}" for s in range(86400)]

    def fmt(seconds: int) -> str:
        return days[seconds // 86400 - base] + tod[seconds % 86400]

    return fmt


# ---------------------------------------------------------------- the generator


class Generator:
    def __init__(self, args: argparse.Namespace):
        from django.db import connection

        self.args = args
        self.rng = random.Random(args.seed)
        self.connection = connection
        self.writer = Writer(connection)
        self.started = time.perf_counter()
        self.phases: dict[str, float] = {}
        self.status_counts: Counter = Counter()

    def say(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.started:7.1f}s] {message}", flush=True)

    def run(self) -> int:
        from django.core.management import call_command

        from loket.tickets.models import Ticket

        settings_db = self.connection.settings_dict
        self.say(f"database: {self.connection.vendor} {settings_db['NAME']}")
        call_command("migrate", verbosity=0)
        self.say("migrations applied")
        existing = Ticket.objects.count()
        if existing and not self.args.append:
            print(
                f"The database already has {existing:,} tickets. Use --append to add more, "
                "or start from an empty database.",
                file=sys.stderr,
            )
            return 2
        self.tune()
        self.ensure_catalog()
        self.ensure_organisation()
        self.load_tickets(existing=existing)
        self.finish()
        self.summary()
        return 0

    def tune(self) -> None:
        if self.connection.vendor == "sqlite":
            for pragma in (
                "journal_mode=WAL",
                "synchronous=OFF",
                "temp_store=MEMORY",
                "cache_size=-512000",
                "mmap_size=1073741824",
            ):
                self.writer.execute(f"PRAGMA {pragma}")
        elif self.connection.vendor == "postgresql":
            self.writer.execute("SET synchronous_commit = off")

    # ------------------------------------------------------------ catalogue

    def ensure_catalog(self) -> None:
        from loket.catalog.models import CatalogItem
        from loket.catalog.services import import_catalog_file

        if CatalogItem.objects.exists():
            self.say(f"catalogue present: {CatalogItem.objects.count()} items")
            return
        for folder in DATA_DIRS:
            path = folder / "catalog.yaml"
            if path.exists():
                result = import_catalog_file(text=path.read_text(encoding="utf-8"))
                self.say(f"catalogue imported from {path}: {result.summary()}")
                return
        folders = " or ".join(str(folder) for folder in DATA_DIRS)
        raise SystemExit(f"No catalogue in the database and no catalog.yaml in {folders}.")

    # ------------------------------------------------------------ organisation

    def ensure_organisation(self) -> None:
        from django.db import transaction

        from loket.people.models import Employee, Location, OrgUnit, Team, TeamMembership

        started = time.perf_counter()
        with transaction.atomic():
            units = self.ensure_units(OrgUnit)
            locations = self.ensure_locations(Location)
            self.ensure_employees(Employee, units, locations)
            self.ensure_teams(Team, TeamMembership, Employee, units)
        self.phases["organisation"] = time.perf_counter() - started

    def ensure_units(self, OrgUnit) -> dict[str, int]:
        units = dict(OrgUnit.objects.values_list("code", "id"))
        next_id = self.writer.next_id(OrgUnit)
        rows = []
        for code, name, parent, _share in ORG_UNITS:
            if code not in units:
                units[code] = next_id
                rows.append((next_id, code, name, units.get(parent) if parent else None, True))
                next_id += 1
        self.writer.insert(OrgUnit, ("id", "code", "name", "parent", "active"), rows)
        return units

    def ensure_locations(self, Location) -> dict[int, list[int]]:
        """Location ids per building (index into BUILDINGS)."""
        known = {
            (b, f, r): pk for pk, b, f, r in Location.objects.values_list("id", "building", "floor", "room")
        }
        next_id = self.writer.next_id(Location)
        rows, by_building = [], {}
        for index, (building, address, floors, rooms) in enumerate(BUILDINGS):
            ids = by_building.setdefault(index, [])
            for floor in range(floors):
                for room in range(1, rooms + 1):
                    key = (building, str(floor), f"{floor}.{room:02d}")
                    if key not in known:
                        known[key] = next_id
                        rows.append((next_id, *key, address))
                        next_id += 1
                    ids.append(known[key])
        self.writer.insert(Location, ("id", "building", "floor", "room", "address"), rows)
        return by_building

    def ensure_employees(self, Employee, units: dict[str, int], locations: dict[int, list[int]]) -> None:
        """Employees with a unit, a desk and a manager: unit heads, team leaders every 25 people."""
        from django.db.models import Min

        rng = self.rng
        have = Employee.objects.count()
        wanted = self.args.employees - have
        if wanted <= 0:
            self.say(f"employees present: {have:,}")
            return
        numbers = Employee.objects.filter(employee_number__regex=r"^B[0-9]{7}$").values_list(
            "employee_number", flat=True
        )
        number = max((int(n[1:]) for n in numbers), default=0) + 1
        emails = Counter(
            e.split("@")[0] for e in Employee.objects.exclude(email="").values_list("email", flat=True)
        )
        heads = dict(
            Employee.objects.filter(unit__isnull=False)
            .values("unit_id")
            .annotate(first=Min("id"))
            .values_list("unit_id", "first")
        )
        next_id = self.writer.next_id(Employee)
        total_share = sum(share for *_, share in ORG_UNITS)
        counts = {code: int(wanted * share / total_share) for code, _n, _p, share in ORG_UNITS}
        counts[ORG_UNITS[-1][0]] += wanted - sum(counts.values())
        # Parents before children, so a unit head can report to the head of the unit above.
        rows = []
        for code, _name, parent, _share in ORG_UNITS:
            unit_id = units[code]
            parent_head = heads.get(units[parent]) if parent else heads.get(units[TOP_UNIT])
            building = locations[UNIT_BUILDING[code.split("-")[0]]]
            leader = None
            for position in range(counts[code]):
                pk = next_id
                next_id += 1
                if position == 0 and unit_id not in heads:
                    heads[unit_id] = pk
                    manager = parent_head if pk != parent_head else None
                    leader = pk
                elif position % 25 == 1:
                    manager = heads.get(unit_id)
                    leader = pk
                else:
                    manager = leader or heads.get(unit_id)
                first = FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))]
                last = LAST_NAMES[int(rng.random() * len(LAST_NAMES))]
                local = f"{ascii_slug(first)}.{ascii_slug(last)}"
                emails[local] += 1
                if emails[local] > 1:
                    local += str(emails[local])
                phone = (
                    f"06-{rng.randrange(10**8):08d}"
                    if rng.random() < 0.6
                    else f"010-498{rng.randrange(10**4):04d}"
                )
                rows.append(
                    (
                        pk,
                        f"B{number:07d}",
                        first,
                        last,
                        f"{local}@{EMAIL_DOMAIN}",
                        phone,
                        unit_id,
                        building[int(rng.random() * len(building))] if rng.random() < 0.9 else None,
                        manager,
                        "nl" if rng.random() < 0.97 else "en",
                        rng.random() < 0.97,
                    )
                )
                number += 1
        fields = (
            "id",
            "employee_number",
            "first_name",
            "last_name",
            "email",
            "phone",
            "unit",
            "location",
            "manager",
            "language",
            "active",
        )
        self.writer.insert(Employee, fields, rows)
        self.say(f"employees: {len(rows):,} added ({have + len(rows):,} in all)")

    def ensure_teams(self, Team, TeamMembership, Employee, units: dict[str, int]) -> None:
        """A front office (department NULL) and a back office per department, each with staff."""
        from loket.people.models import ServiceDepartment

        writer, rng = self.writer, self.rng
        departments = list(ServiceDepartment.objects.filter(active=True).order_by("code"))
        teams = {t.code: t for t in Team.objects.all()}
        back_office = {
            t.department_id: t.pk
            for t in teams.values()
            if t.kind == Team.Kind.BACK_OFFICE and t.department_id
        }
        next_id = writer.next_id(Team)
        rows, staff_from = [], {}
        if not any(t.kind == Team.Kind.FRONT_OFFICE for t in teams.values()):
            email = f"servicedesk@{EMAIL_DOMAIN}"
            rows.append(
                (next_id, FRONT_OFFICE_CODE, "Servicedesk", Team.Kind.FRONT_OFFICE.value, None, email)
            )
            staff_from[next_id] = ("ICT", 1.0, True)
            next_id += 1
        for dep in departments:
            if dep.pk in back_office:
                continue
            code = f"{dep.code}-BACKOFFICE"
            email = f"{dep.code.lower()}@{EMAIL_DOMAIN}"
            rows.append((next_id, code, f"Backoffice {dep.name}", Team.Kind.BACK_OFFICE.value, dep.pk, email))
            back_office[dep.pk] = next_id
            share = DEPARTMENT_WEIGHTS.get(dep.code, DEFAULT_DEPARTMENT_WEIGHT) / 33
            staff_from[next_id] = (dep.code, share, False)
            next_id += 1
        writer.insert(
            Team, ("id", "code", "name", "kind", "department", "email", "active"), [(*r, True) for r in rows]
        )
        table = writer.qn(ServiceDepartment._meta.db_table)
        column = writer.qn(ServiceDepartment._meta.get_field("default_team").column)
        pk = writer.qn(ServiceDepartment._meta.pk.column)
        for dep in departments:
            if dep.default_team_id is None:
                writer.execute(
                    f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [back_office[dep.pk], dep.pk]
                )

        # Staff: about 0.1% of the organisation per share, from the unit that delivers the service.
        population = Employee.objects.count()
        by_unit: dict[int, list[int]] = {}
        for emp_id, unit_id in Employee.objects.filter(active=True, manager__isnull=False).values_list(
            "id", "unit_id"
        ):
            by_unit.setdefault(unit_id, []).append(emp_id)
        everyone = [e for ids in by_unit.values() for e in ids]
        taken = set(TeamMembership.objects.values_list("employee_id", flat=True))
        memberships = []
        next_id = writer.next_id(TeamMembership)
        roles = TeamMembership.Role
        for team_id, (dep_code, share, front) in staff_from.items():
            size = max(3, round(population * 0.001 * share))
            home = units.get(STAFF_UNIT[dep_code]) if dep_code in STAFF_UNIT else None
            candidates = [e for e in by_unit.get(home, []) if e not in taken] if home else []
            rng.shuffle(candidates)
            chosen = candidates[:size]
            if len(chosen) < size:
                others = [e for e in everyone if e not in taken and e not in chosen]
                chosen += rng.sample(others, min(size - len(chosen), len(others)))
            for position, emp_id in enumerate(chosen):
                taken.add(emp_id)
                if position == 0:
                    role = roles.TEAM_LEAD
                elif front and position == 1:
                    role = roles.ADMINISTRATOR
                else:
                    role = roles.AGENT if front else roles.SPECIALIST
                memberships.append((next_id, team_id, emp_id, role.value))
                next_id += 1
        writer.insert(TeamMembership, ("id", "team", "employee", "role"), memberships)
        self.say(f"teams: {len(rows)} added, {len(memberships)} memberships")

    # ------------------------------------------------------------ tickets

    def load_tickets(self, *, existing: int) -> None:
        from django.db import transaction

        from loket.core.services import raise_sequence_to
        from loket.tickets.models import Comment, Ticket, TicketChange

        if not self.args.tickets:
            return
        context = self.ticket_context()
        created = self.creation_times(context)
        writer = self.writer
        tables = (Ticket, TicketChange, Comment)
        dropped = []
        if not self.args.keep_indexes and self.args.tickets >= existing:
            # Building an index once after the load is much cheaper than keeping it up to date
            # (unless the load is small next to what is there already).
            helpers = [helper for model in tables for helper in writer.load_helpers(model)]
            with transaction.atomic():
                for _kind, drop, _create in helpers:
                    writer.execute(drop)
            dropped = helpers
            kinds = Counter(kind for kind, _drop, _create in dropped)
            self.say(f"dropped {kinds['index']} indexes and {kinds['foreign key']} foreign keys for the load")
        # Millions of short-lived tuples and no cycles: the cyclic collector only costs time here.
        gc.disable()
        try:
            ids = {"ticket": writer.next_id(Ticket), "change": writer.next_id(TicketChange)}
            ids["comment"] = writer.next_id(Comment)
            done = history = 0
            generating = committing = 0.0
            began = time.perf_counter()
            for tickets, changes, comments in self.batches(created, ids, context):
                generating += time.perf_counter() - began
                with transaction.atomic():
                    writer.insert(Ticket, TICKET_FIELDS, tickets)
                    writer.insert(Comment, COMMENT_FIELDS, comments)
                    writer.insert(TicketChange, CHANGE_FIELDS, changes)
                    began = time.perf_counter()
                committing += time.perf_counter() - began
                done += len(tickets)
                history += len(changes)
                rate = done / (time.perf_counter() - self.started)
                self.say(f"tickets {done:,}/{len(created):,}  history {history:,}  ({rate:,.0f} tickets/s)")
                began = time.perf_counter()
            self.phases["generating rows (python)"] = generating
            self.phases["committing batches"] = committing
        finally:
            gc.enable()
            if dropped:
                began = time.perf_counter()
                with transaction.atomic():
                    for _kind, _drop, create in dropped:
                        writer.execute(create)
                self.phases["rebuilding indexes (+ foreign keys)"] = time.perf_counter() - began
                self.say(f"rebuilt {len(dropped)} indexes and foreign keys from their definitions")
        for year, value in sorted(context["sequences"].items()):
            raise_sequence_to(name=f"ticket-{year}", value=value)

    def batches(self, created: list[int], ids: dict, context: dict):
        """(tickets, changes, comments) per batch of creation times."""
        size = self.args.batch_size
        for start in range(0, len(created), size):
            yield self.ticket_batch(created[start : start + size], ids, context)

    def ticket_context(self) -> dict:
        """Everything a ticket is drawn from, loaded once from the database."""
        from loket.catalog.models import CatalogItem
        from loket.core.models import Sequence
        from loket.people.models import Employee, ServiceDepartment, Team, TeamMembership
        from loket.tickets.services.workflow import PRIORITY_MATRIX

        rng = self.rng
        requesters = list(Employee.objects.filter(active=True).values_list("id", flat=True))
        if not requesters:
            raise SystemExit("No active employees to request tickets; use --employees.")
        departments = {d.pk: d for d in ServiceDepartment.objects.all()}
        members: dict[int, list[int]] = {}
        for team_id, emp_id in TeamMembership.objects.values_list("team_id", "employee_id"):
            members.setdefault(team_id, []).append(emp_id)
        front = [
            e
            for t in Team.objects.filter(kind=Team.Kind.FRONT_OFFICE, active=True)
            for e in members.get(t.pk, [])
        ] or requesters[:10]
        items = list(CatalogItem.objects.filter(active=True).order_by("code"))
        if not items:
            raise SystemExit("The catalogue has no active items.")
        samples = self.samples()
        spreads = {i.pk: 0.4 if i.code.endswith("-OVERIG") else rng.uniform(0.5, 2.0) for i in items}
        per_department = Counter()
        for item in items:
            per_department[item.department_id] += spreads[item.pk]
        item_weights, profiles = {}, []
        for item in items:
            department = departments[item.department_id]
            share = DEPARTMENT_WEIGHTS.get(department.code, DEFAULT_DEPARTMENT_WEIGHT)
            kwis_types = [k for k in item.kwis_types if k in KWIS_SPEED] or ["I"]
            rest = 0.35 / max(1, len(kwis_types) - 1)
            kwis_weights = {k: (0.65 if n == 0 else rest) for n, k in enumerate(kwis_types)}
            texts = {
                kwis: tuple(
                    samples.get((item.code, kwis)) or samples.get((item.code, None)) or [(item.name, "")]
                )
                for kwis in kwis_types
            }
            team_id = item.default_team_id or department.default_team_id
            profiles.append(
                (
                    item.pk,
                    item.department_id,
                    team_id,
                    department.confidential_by_default,
                    pool(kwis_weights, 100),
                    texts,
                    tuple(members.get(team_id, ()) or front),
                )
            )
            item_weights[len(profiles) - 1] = share * spreads[item.pk] / per_department[item.department_id]
        sequences = {}
        for name, value in Sequence.objects.filter(name__startswith="ticket-").values_list("name", "value"):
            year = name.removeprefix("ticket-")
            if year.isdigit():
                sequences[int(year)] = value
        return {
            "requesters": requesters,
            "front": front,
            "profiles": profiles,
            "item_pool": pool(item_weights, 5000),
            "channel_pool": pool(CHANNELS),
            "impact_pool": pool(IMPACTS),
            "urgency_pool": pool(URGENCIES),
            "priority": {(int(i), int(u)): int(p) for (i, u), p in PRIORITY_MATRIX.items()},
            "sequences": sequences,
        }

    def samples(self) -> dict:
        """Subjects and texts from the demo training tickets, by (item, kwis) and by item."""
        for folder in DATA_DIRS:
            path = folder / "tickets-train.jsonl"
            if path.exists():
                break
        else:
            return {}
        found: dict = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                pair = (record["subject"][:200], record.get("text", ""))
                found.setdefault((record["catalog_code"], record["kwis"]), []).append(pair)
                found.setdefault((record["catalog_code"], None), []).append(pair)
        return found

    def creation_times(self, context: dict) -> list[int]:
        """Sorted creation times (epoch seconds): weekdays and office hours, over the last months."""
        from django.conf import settings

        rng = self.rng
        zone = ZoneInfo(settings.TIME_ZONE)
        now = int(time.time())
        today = datetime.fromtimestamp(now, zone).date()
        first = today - timedelta(days=round(self.args.months * 30.4375))
        midnights, weights = [], []
        day = first
        while day <= today:
            midnights.append(int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()))
            weights.append(WEEKDAYS[day.weekday()])
            day += timedelta(days=1)
        picked_days = rng.choices(range(len(midnights)), weights=weights, k=self.args.tickets)
        picked_hours = rng.choices(range(24), weights=HOURS, k=self.args.tickets)
        randrange = rng.randrange
        created = []
        for d, h in zip(picked_days, picked_hours, strict=True):
            moment = midnights[d] + h * 3600 + randrange(3600)
            if moment >= now:
                moment = now - randrange(1, 3 * 3600)
            created.append(moment)
        created.sort()
        first_year = datetime.fromtimestamp(created[0], zone).year
        last_year = datetime.fromtimestamp(created[-1], zone).year
        context["year_starts"] = [
            int(datetime(y, 1, 1, tzinfo=zone).timestamp()) for y in range(first_year, last_year + 1)
        ]
        context["first_year"] = first_year
        context["now"] = now
        suffix = "+00" if self.connection.vendor == "postgresql" else ""
        context["clock"] = clock(created[0] - 86400, now + 86400, suffix)
        return created

    def ticket_batch(self, created: list[int], ids: dict, context: dict) -> tuple[list, list, list]:
        """Rows for a slice of creation times: the tickets, their history and their comments."""
        from loket.tickets.models import Comment, Status, TicketChange

        Action = TicketChange.Action
        rng = self.rng
        random_ = rng.random
        gauss, exp, bisect_right = rng.gauss, math.exp, bisect.bisect_right
        fmt = context["clock"]
        now = context["now"]
        requesters = context["requesters"]
        n_requesters = len(requesters)
        front = context["front"]
        profiles = context["profiles"]
        item_pool, n_items = context["item_pool"], len(context["item_pool"])
        channel_pool, n_channels = context["channel_pool"], len(context["channel_pool"])
        impact_pool, n_impacts = context["impact_pool"], len(context["impact_pool"])
        urgency_pool, n_urgencies = context["urgency_pool"], len(context["urgency_pool"])
        priorities = context["priority"]
        sequences = context["sequences"]
        year_starts, first_year = context["year_starts"], context["first_year"]
        status_counts = self.status_counts
        ticket_id, cid, comment_id = ids["ticket"], ids["change"], ids["comment"]
        tickets, changes, comments = [], [], []
        add_ticket, add_change, add_comment = tickets.append, changes.append, comments.append
        pick = int
        log_speed = {k: math.log(v) for k, v in KWIS_SPEED.items()}
        log_hours = {p: math.log(h * 3600) for p, h in RESOLVE_HOURS.items()}
        # Plain str values (psycopg would dump an enum member by its name).
        CREATED, STATUS, COMMENTED = (a.value for a in (Action.CREATED, Action.STATUS, Action.COMMENTED))
        NEW, IN_PROGRESS, RESOLVED, CLOSED, REOPENED = (
            s.value for s in (Status.NEW, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED, Status.REOPENED)
        )
        WAITING_CUSTOMER, WAITING_SUPPLIER = Status.WAITING_CUSTOMER.value, Status.WAITING_SUPPLIER.value
        PUBLIC, INTERNAL = Comment.Visibility.PUBLIC.value, Comment.Visibility.INTERNAL.value

        for at in created:
            item_id, dep_id, team_id, confidential, kwis_pool, texts, staff = profiles[
                item_pool[pick(random_() * n_items)]
            ]
            kwis = kwis_pool[pick(random_() * len(kwis_pool))]
            choices = texts[kwis]
            subject, description = choices[pick(random_() * len(choices))]
            requester = requesters[pick(random_() * n_requesters)]
            channel = channel_pool[pick(random_() * n_channels)]
            if channel == "portal":
                created_by = requester
            elif channel == "api":
                created_by = None
            else:
                created_by = front[pick(random_() * len(front))]
            impact = impact_pool[pick(random_() * n_impacts)]
            urgency = urgency_pool[pick(random_() * n_urgencies)]
            priority = priorities[(impact, urgency)]
            year = first_year + bisect_right(year_starts, at) - 1
            seq = sequences.get(year, 0) + 1
            sequences[year] = seq
            number = f"M{year}-{seq:06d}"
            resolver = staff[pick(random_() * len(staff))]
            tid = ticket_id
            created_at = last_at = fmt(at)
            add_change((cid, tid, created_by, created_at, CREATED, "", "", number, ""))
            cid += 1

            # The timeline: maybe in progress, then resolved, then closed; only what has happened by now.
            duration = exp(log_hours[priority] + log_speed[kwis] + RESOLVE_SIGMA * gauss())
            resolved = at + 60 + int(duration)
            worked = at + int(duration * (0.05 + 0.45 * random_())) if random_() < SHARE_WORKED else None
            status, last, assignee = NEW, at, None
            resolved_at = closed_at = None
            resolution, reopen_count = "", 0
            if worked is not None and worked <= now:
                assignee = resolver if random_() < SHARE_ASSIGNED else None
                last, last_at = worked, fmt(worked)
                add_change((cid, tid, resolver, last_at, STATUS, "status", NEW, IN_PROGRESS, ""))
                cid += 1
                status = IN_PROGRESS
            if resolved <= now:
                if assignee is None and random_() < SHARE_ASSIGNED:
                    assignee = resolver
                last, last_at = resolved, fmt(resolved)
                add_change((cid, tid, resolver, last_at, STATUS, "status", status, RESOLVED, ""))
                cid += 1
                status, resolved_at = RESOLVED, last_at
                answers = RESOLUTIONS[kwis]
                resolution = answers[pick(random_() * len(answers))]
                if random_() < SHARE_REOPENED:
                    reopened = resolved + 3600 + int(exp(11.0 + 0.8 * gauss()))
                    if reopened < now:
                        reason = REOPEN_REASONS[pick(random_() * len(REOPEN_REASONS))]
                        last, last_at = reopened, fmt(reopened)
                        add_change(
                            (cid, tid, requester, last_at, STATUS, "status", RESOLVED, REOPENED, reason)
                        )
                        cid += 1
                        status, resolved_at, reopen_count = REOPENED, None, 1
                        again = reopened + 600 + int(duration / 2)
                        if again <= now:
                            last, last_at = again, fmt(again)
                            add_change(
                                (cid, tid, resolver, last_at, STATUS, "status", REOPENED, RESOLVED, "")
                            )
                            cid += 1
                            status, resolved_at = RESOLVED, last_at
                if status == RESOLVED:
                    if random_() < SHARE_ACCEPTED:
                        closing, closer = last + 600 + int(exp(9.5 + gauss())), requester
                    else:
                        closing, closer = last + ACCEPTANCE_SECONDS, None
                    if closing <= now:
                        last, last_at = closing, fmt(closing)
                        add_change((cid, tid, closer, last_at, STATUS, "status", RESOLVED, CLOSED, ""))
                        cid += 1
                        status, closed_at = CLOSED, last_at
            elif status == IN_PROGRESS:
                draw = random_()
                if draw < SHARE_WAITING_CUSTOMER + SHARE_WAITING_SUPPLIER:
                    waiting = WAITING_CUSTOMER if draw < SHARE_WAITING_CUSTOMER else WAITING_SUPPLIER
                    last = worked + int((now - worked) * random_())
                    last_at = fmt(last)
                    add_change((cid, tid, resolver, last_at, STATUS, "status", status, waiting, ""))
                    cid += 1
                    status = waiting
            if status != NEW:
                draw = random_()
                if draw < SHARE_PUBLIC_COMMENT + SHARE_INTERNAL_NOTE:
                    if draw < SHARE_PUBLIC_COMMENT:
                        visibility, bodies = PUBLIC, PUBLIC_COMMENTS
                    else:
                        visibility, bodies = INTERNAL, INTERNAL_NOTES
                    when = fmt(at + int((last - at) * random_()))
                    body = bodies[pick(random_() * len(bodies))]
                    add_comment((comment_id, tid, resolver, visibility, body, when))
                    add_change((cid, tid, resolver, when, COMMENTED, visibility, "", str(comment_id), ""))
                    comment_id += 1
                    cid += 1
            status_counts[status] += 1
            add_ticket(
                (
                    tid,
                    number,
                    requester,
                    created_by,
                    channel,
                    kwis,
                    item_id,
                    dep_id,
                    team_id,
                    assignee,
                    impact,
                    urgency,
                    priority,
                    subject,
                    description,
                    "{}",
                    status,
                    confidential,
                    resolution,
                    reopen_count,
                    # about one in four closed calls and walk-ins was solved while the caller waited
                    status == CLOSED and channel in ("phone", "walk_in") and ticket_id % 4 == 0,
                    created_at,
                    last_at,
                    resolved_at,
                    closed_at,
                    1,
                )
            )
            ticket_id += 1
        ids["ticket"], ids["change"], ids["comment"] = ticket_id, cid, comment_id
        return tickets, changes, comments

    # ------------------------------------------------------------ the end

    def finish(self) -> None:
        from loket.tickets.models import Comment, Ticket, TicketChange

        began = time.perf_counter()
        self.writer.reset_sequences()
        self.phases["sequences"] = time.perf_counter() - began
        began = time.perf_counter()
        clocks = self.start_clocks()
        self.phases[f"SLA clocks for {clocks:,} open tickets"] = time.perf_counter() - began
        began = time.perf_counter()
        if self.connection.vendor == "sqlite":
            self.writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif self.connection.vendor == "postgresql":
            for model in (Ticket, TicketChange, Comment):
                self.writer.execute(f"ANALYZE {self.writer.qn(model._meta.db_table)}")
        self.phases["checkpoint / analyze"] = time.perf_counter() - began

    def start_clocks(self) -> int:
        """Open tickets get their SLA clocks as registration would have started them, then one
        sweep brings their states up to now (the queues sort and filter on them)."""
        from django.utils import timezone

        from loket.sla import services as sla
        from loket.sla.models import TicketClock
        from loket.tickets.models import OPEN_STATUSES, Ticket

        started = 0
        waiting = Ticket.objects.filter(status__in=OPEN_STATUSES, clock__isnull=True).order_by("pk")
        for ticket in waiting.select_related("catalog_item", "team", "department").iterator(chunk_size=2000):
            sla.start_clock(ticket=ticket, now=ticket.created_at)
            started += 1
        if started:
            sla.sweep(now=timezone.now())
            if self.connection.vendor == "postgresql":
                self.writer.execute(f"ANALYZE {self.writer.qn(TicketClock._meta.db_table)}")
        return started

    def summary(self) -> None:
        elapsed = time.perf_counter() - self.started
        print()
        print(f"{'table':<24}{'rows':>12}{'seconds':>10}{'rows/s':>12}")
        for label, (rows, seconds) in self.writer.stats.items():
            rate = rows / seconds if seconds else 0
            print(f"{label:<24}{rows:>12,}{seconds:>10.1f}{rate:>12,.0f}")
        for phase, seconds in self.phases.items():
            print(f"{phase:<36}{seconds:>10.1f}")
        tickets = self.writer.stats.get("tickets.Ticket", [0])[0]
        mix = ", ".join(
            f"{status} {count / max(1, tickets):.1%}" for status, count in self.status_counts.most_common()
        )
        print(f"status mix: {mix}")
        rate = tickets / elapsed if elapsed else 0
        print(f"elapsed {elapsed:.1f} s for {tickets:,} tickets ({rate:,.0f} tickets/s overall)")


TICKET_FIELDS = (
    "id",
    "number",
    "requester",
    "created_by",
    "channel",
    "kwis",
    "catalog_item",
    "department",
    "team",
    "assignee",
    "impact",
    "urgency",
    "priority",
    "subject",
    "description",
    "form_answers",
    "status",
    "confidential",
    "resolution",
    "reopen_count",
    "solved_at_first_contact",
    "created_at",
    "updated_at",
    "resolved_at",
    "closed_at",
    "version",
)
CHANGE_FIELDS = ("id", "ticket", "actor", "at", "action", "field", "old_value", "new_value", "note")
COMMENT_FIELDS = ("id", "ticket", "author", "visibility", "body", "created_at")


if __name__ == "__main__":
    sys.exit(main())
