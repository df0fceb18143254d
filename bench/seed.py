"""Fill a benchmark database with realistic releases, fast.

    .venv/bin/python bench/seed.py [--count 100000] [--database-url URL] [--force]

Migrates, then bulk-creates ``--count`` releases in batches with their organization,
contact and tag links (20 organizations, 50 authors, 200 tags, 2-4 tags a release), fills
their search vectors with the product's own SQL (``releases.indexing``), and runs
VACUUM ANALYZE. Text sizes are those of real releases: a ~70-character headline, a
~250-character summary, a ~3 KB body of paragraphs and quotes. Publication times spread
over ten years; a few percent are drafts, in review, scheduled, embargoed or withdrawn.

Skips the work when the database already holds exactly ``--count`` releases (``--force``
empties the release tables and seeds again). Deterministic: the same count gives the
same data (``--seed``).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DATABASE_URL, database_name, ensure_database, setup_django

BATCH = 2000
YEARS = 10

# -- words -------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = _words(
    "the of and to in a for on with by that is will its as at from this has have are "
    "which their it be more than over new also into after about all been were while"
)
GENERAL_WORDS = _words(
    "announce announced launch launched report reports partnership programme research data "
    "million billion percent government community communities public national regional "
    "international global local countries people support investment fund funding project "
    "projects plan strategy initiative network partners services service access across "
    "year years today week month first second major growth increase reduce development "
    "policy policies framework results findings study analysis evidence experts leaders "
    "organisation organization members board director chief executive officer team staff "
    "students workers families children women young older rural urban city cities region "
    "market markets industry sector companies business businesses jobs skills training "
    "quality safety standards agreement commitment goals targets progress impact future "
    "innovation technology digital platform tools systems infrastructure capacity resources "
    "response crisis recovery resilience sustainable affordable inclusive independent "
    "significant important critical key leading largest broader stronger better faster "
    "ensure provide deliver improve expand build create help enable protect promote "
    "welcomed confirmed published released signed opened unveiled awarded appointed "
    "according said added noted explained highlighted stressed urged called warned"
)
TOPICS = {
    "health": "vaccine vaccines vaccination immunisation hospital hospitals patients clinical "
    "trial trials disease diseases malaria tuberculosis treatment treatments medicine "
    "medicines doctors nurses health healthcare outbreak pandemic epidemic infection cancer "
    "diabetes mental nutrition maternal surveillance diagnosis antibiotics",
    "climate": "climate emissions carbon renewable solar wind energy warming temperature "
    "adaptation mitigation drought flooding floods biodiversity forests deforestation ocean "
    "oceans pollution methane electricity grid battery batteries heatwave wildfire coastal",
    "technology": "software artificial intelligence machine learning cloud cybersecurity "
    "privacy broadband internet semiconductor chips quantum computing robotics automation "
    "startup startups open source algorithm algorithms satellite satellites telecom mobile",
    "finance": "inflation interest rates bank banks banking credit loans debt bonds "
    "investors shares earnings revenue profit quarterly fiscal budget taxes trade exports "
    "imports currency economy economic recession insurance pension payments",
    "education": "schools school teachers pupils university universities scholarship "
    "scholarships curriculum literacy learning classroom graduates apprenticeships "
    "campus academic degree courses enrolment tuition library libraries",
    "transport": "rail railway trains airport aviation airline flights shipping ports "
    "logistics roads highways electric vehicles cycling buses transit freight harbour "
    "bridge tunnel commuters traffic",
    "agriculture": "farmers farming crops harvest food hunger irrigation soil seeds "
    "livestock fisheries wheat maize rice coffee cocoa fertiliser pesticides supply chains "
    "smallholder dairy",
    "culture": "museum museums exhibition festival heritage artists music film cinema "
    "theatre literature gallery collection archive archives concert dance photography "
    "prize award awards",
    "science": "scientists laboratory telescope genome genetics physics chemistry biology "
    "astronomy particle experiment experiments discovery species fossils mission rover "
    "spacecraft microscope molecules",
    "humanitarian": "refugees displaced migration migrants shelter emergency relief aid "
    "humanitarian earthquake hurricane cyclone famine conflict ceasefire peace rights "
    "protection volunteers donations reconstruction",
}
TOPIC_WORDS = {topic: words.split() for topic, words in TOPICS.items()}

CITIES = [
    "LONDON", "GENEVA", "NEW YORK", "PARIS", "NAIROBI", "BERLIN", "TOKYO", "SYDNEY",
    "TORONTO", "MUMBAI", "SAO PAULO", "CAPE TOWN", "SINGAPORE", "BRUSSELS", "VIENNA",
    "MADRID", "ROME", "LAGOS", "DUBLIN", "COPENHAGEN",
]  # fmt: skip
FIRST_NAMES = _words(
    "Amara Ben Chloe Daniel Elena Farid Grace Hiro Ines Jonas Kavya Liam Maya Noah Olu "
    "Priya Quentin Rosa Samir Tara Umar Vera Wei Ximena Yusuf Zoe Anna Bruno Carla Dev"
)
LAST_NAMES = _words(
    "Adeyemi Berg Costa Dubois Eriksen Fischer Garcia Haddad Ito Johansson Kim Lopez "
    "Mensah Novak Okafor Petrov Quinn Rossi Schmidt Tanaka Ueda Varga Wang Xu Yilmaz Zhou"
)
ORGANIZATIONS = [
    ("Northwind Health Institute", "NHI", "health"),
    ("Global Climate Alliance", "GCA", "climate"),
    ("Open Technology Foundation", "OTF", "technology"),
    ("Meridian Bank Group", "MBG", "finance"),
    ("Council for Learning", "CFL", "education"),
    ("European Rail Association", "ERA", "transport"),
    ("Harvest Futures Network", "HFN", "agriculture"),
    ("National Museum Trust", "NMT", "culture"),
    ("Institute of Physical Sciences", "IPS", "science"),
    ("Relief Without Borders", "RWB", "humanitarian"),
    ("World Vaccine Partnership", "WVP", "health"),
    ("Clean Energy Council", "CEC", "climate"),
    ("Digital Rights Observatory", "DRO", "technology"),
    ("Trade and Development Office", "TDO", "finance"),
    ("Universities Network", "UNW", "education"),
    ("Ports and Logistics Board", "PLB", "transport"),
    ("Food Security Programme", "FSP", "agriculture"),
    ("Arts Council of the Coast", "ACC", "culture"),
    ("Space Research Agency", "SRA", "science"),
    ("Children's Emergency Fund", "CEF", "humanitarian"),
]
HEADLINE_VERBS = [
    "announces", "launches", "publishes", "welcomes", "unveils", "expands", "opens",
    "calls for", "reports", "warns of", "commits to", "partners on",
]  # fmt: skip
REGIONS = [
    "Africa", "Asia", "Europe", "Latin America", "the Middle East", "the Pacific",
    "the Caribbean", "the Arctic", "North America", "South Asia",
]  # fmt: skip


# How many of the general and of the topic's words one release uses. Real releases use a
# few of their field's words, not all: a topical word then matches a few percent of the
# archive and a general one a quarter, as in a real newsroom, not every release.
GENERAL_PER_RELEASE = 40
TOPIC_PER_RELEASE = 8


class Writer:
    """Text in the proportions of a press release: function words, general news words,
    and words of the release's topic, drawn from a vocabulary of its own (``voice``)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words_drawn: list[str] = []
        self.cumulative: list[float] = []

    def voice(self, topic: str) -> list[str]:
        """Choose the words of the next release; returns its topic words."""
        topical = self.rng.sample(TOPIC_WORDS[topic], TOPIC_PER_RELEASE)
        general = self.rng.sample(GENERAL_WORDS, GENERAL_PER_RELEASE)
        self.words_drawn = FUNCTION_WORDS + general + topical
        # Zipf-like weights within each group: a few words are very common.
        weights = (
            [3.0 / (i + 1) ** 0.6 for i in range(len(FUNCTION_WORDS))]
            + [1.0 / (i + 1) ** 0.5 for i in range(len(general))]
            + [1.2 / (i + 1) ** 0.7 for i in range(len(topical))]
        )
        self.cumulative = list(itertools.accumulate(weights))
        return topical

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.words_drawn, cum_weights=self.cumulative, k=count)

    def sentence(self, low=12, high=22) -> str:
        return " ".join(self.words(self.rng.randint(low, high))).capitalize() + "."

    def sentences(self, count: int) -> list[str]:
        """``count`` sentences of 12-22 words, drawn in one go (drawing is the cost)."""
        words = self.words(count * 22)
        found, at = [], 0
        for _ in range(count):
            length = self.rng.randint(12, 22)
            found.append(" ".join(words[at : at + length]).capitalize() + ".")
            at += length
        return found

    def headline(self, topical: list[str], issuer: str) -> str:
        general = self.words_drawn[len(FUNCTION_WORDS) : -len(topical)]
        subject = self.rng.sample(general, 2)
        subject += self.rng.sample(topical, 3)
        self.rng.shuffle(subject)
        verb = self.rng.choice(HEADLINE_VERBS)
        return f"{issuer} {verb} {' '.join(subject)} in {self.rng.choice(REGIONS)}"

    def text(self, size: int) -> str:
        text = " ".join(self.sentences(size // 60 + 2))
        return text[:size].rsplit(" ", 1)[0].rstrip(".") + "."

    def body(self, speaker: str, organization: str) -> str:
        pool = self.sentences(40)
        paragraphs, length = [], 0
        while length < 3000 and len(pool) >= 4:
            kind = self.rng.random()
            if kind < 0.15:
                html = f"<p>“{pool.pop()} {pool.pop()}” said {speaker}, of {organization}.</p>"
            elif kind < 0.22:
                items = "".join(f"<li>{pool.pop()}</li>" for _ in range(3))
                html = f"<ul>{items}</ul>"
            else:
                html = "<p>" + " ".join(pool.pop() for _ in range(4)) + "</p>"
            paragraphs.append(html)
            length += len(html)
        return "".join(paragraphs)


# -- the seeding -------------------------------------------------------------------------


@contextmanager
def explicit_timestamps(model):
    """Let bulk_create keep the given created_at/updated_at (auto_now would say "now")."""
    fields = [model._meta.get_field("created_at"), model._meta.get_field("updated_at")]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def empty_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE releases_release, releases_releaseorganization, releases_releasecontact, "
            "releases_releaseslug, releases_attachment, releases_correction, "
            "releases_contact, releases_author, releases_organization, "
            "taggit_taggeditem, taggit_tag RESTART IDENTITY CASCADE"
        )


def create_people(rng: random.Random, now: dt.datetime):
    from releases.models import Author, Contact, Organization

    organizations = []
    for name, short_name, topic in ORGANIZATIONS:
        organization = Organization.objects.create(
            name=name,
            short_name=short_name,
            boilerplate=f"{name} ({short_name}) works with partners in more than 40 "
            f"countries on {topic}. Founded in {rng.randint(1950, 2010)}, it publishes "
            "independent research and advises governments and industry.",
            website=f"https://{short_name.lower()}.example.org/",
            location=f"{rng.choice(CITIES).title()}, Example Country",
        )
        organization.topic = topic
        organizations.append(organization)
    people = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(people)
    authors = [
        Author.objects.create(
            name=people[i],
            bio=f"{people[i]} writes about {rng.choice(list(TOPICS))} for the newsroom.",
            organization=rng.choice(organizations),
        )
        for i in range(50)
    ]
    contacts = [
        Contact.objects.create(
            name=people[50 + i],
            role=rng.choice(["Press officer", "Head of media relations", "Spokesperson"]),
            organization=organizations[i % len(organizations)],
            email=f"press{i}@{organizations[i % 20].short_name.lower()}.example.org",
            phone=f"+4420794600{i:02d}",
        )
        for i in range(60)
    ]
    return organizations, authors, contacts


def create_tags():
    """200 tags, 20 a topic: its name, 14 of its words, 5 "<topic> in <region>"."""
    from django.utils.text import slugify
    from taggit.models import Tag

    by_topic = {}
    for topic, words in TOPIC_WORDS.items():
        long_words = list(dict.fromkeys(word for word in words if len(word) > 4))
        by_topic[topic] = (
            [topic.capitalize()]
            + [word.capitalize() for word in long_words if word != topic][:14]
            + [f"{topic.capitalize()} in {region.removeprefix('the ')}" for region in REGIONS[:5]]
        )
    names = list(dict.fromkeys(name for names in by_topic.values() for name in names))
    tags = Tag.objects.bulk_create([Tag(name=name, slug=slugify(name)) for name in names])
    by_name = {tag.name: tag for tag in tags}
    return tags, {topic: [by_name[name] for name in names] for topic, names in by_topic.items()}


def zipf_index(rng: random.Random, size: int, exponent: float = 0.8) -> int:
    """An index below ``size``, 0 the likeliest, falling off as 1 / (i + 1) ** exponent."""
    cumulative = _ZIPF.get((size, exponent))
    if cumulative is None:
        cumulative = list(itertools.accumulate(1 / (i + 1) ** exponent for i in range(size)))
        _ZIPF[size, exponent] = cumulative
    return bisect.bisect(cumulative, rng.random() * cumulative[-1])


_ZIPF: dict[tuple[int, float], list[float]] = {}


def status_and_times(rng: random.Random, index: int, count: int, start, now):
    """(status, published_at, embargoed_until, withdrawn_at, created_at) of release ``index``.

    Ids follow publication order (as in a newsroom that has run for years); the last
    few percent are the current work: drafts, reviews, scheduled and embargoed releases.
    """
    from releases.models import Status

    span = (now - start).total_seconds()
    recent = count - max(1, count // 25)
    if index < recent:
        published = start + dt.timedelta(seconds=span * index / recent + rng.uniform(0, 600))
        published = min(published, now - dt.timedelta(hours=1))
        created = published - dt.timedelta(hours=rng.uniform(1, 72))
        if rng.random() < 0.015:
            withdrawn = published + dt.timedelta(days=rng.uniform(1, 30))
            return Status.WITHDRAWN, published, None, min(withdrawn, now), created
        return Status.PUBLISHED, published, None, None, created
    created = now - dt.timedelta(days=rng.uniform(0, 14))
    kind = rng.random()
    if kind < 0.4:
        return Status.DRAFT, None, None, None, created
    if kind < 0.55:
        return Status.REVIEW, None, None, None, created
    if kind < 0.85:
        return Status.PUBLISHED, now + dt.timedelta(days=rng.uniform(0.1, 30)), None, None, created
    published = now - dt.timedelta(hours=rng.uniform(1, 24))
    embargo = now + dt.timedelta(hours=rng.uniform(1, 72))
    return Status.PUBLISHED, published, embargo, None, created


def seed(count: int, rng_seed: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import TaggedItem

    from releases.indexing import update_search_vectors
    from releases.models import Release, ReleaseContact, ReleaseOrganization

    rng = random.Random(rng_seed)
    writer = Writer(rng)
    now = timezone.now().replace(microsecond=0)
    start = now - dt.timedelta(days=365 * YEARS)
    organizations, authors, contacts = create_people(rng, now)
    tags, tags_by_topic = create_tags()
    # Tag popularity is skewed, as in every newsroom: the topic's own tag ("Health") on
    # many of its releases, a few others often, most rarely. Which ones is left to chance.
    ranked = {}
    for topic, topic_tags in tags_by_topic.items():
        broad = [tag for tag in topic_tags if tag.name.lower() == topic]
        rest = [tag for tag in topic_tags if tag not in broad]
        rng.shuffle(rest)
        ranked[topic] = broad + rest
    tags_by_name = {tag.name.lower(): tag for tag in tags}
    content_type = ContentType.objects.get_for_model(Release)
    slugs: set[str] = set()
    began = time.monotonic()

    for first in range(0, count, BATCH):
        releases, plans = [], []
        for index in range(first, min(first + BATCH, count)):
            issuer = organizations[rng.randrange(len(organizations))]
            topic = issuer.topic if rng.random() < 0.8 else rng.choice(list(TOPICS))
            author = rng.choice(authors)
            status, published, embargo, withdrawn, created = status_and_times(
                rng, index, count, start, now
            )
            topical = writer.voice(topic)
            headline = writer.headline(topical, issuer.short_name)
            slug = base = slugify(headline)[:150].strip("-")
            suffix = 2
            while slug in slugs:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            slugs.add(slug)
            # Written after publication, or while scheduled, in draft: never in the future.
            written = published if published and published <= now else created
            updated = written + dt.timedelta(minutes=rng.uniform(0, 90))
            releases.append(
                Release(
                    headline=headline,
                    subheadline=writer.sentence(12, 18),
                    slug=slug,
                    dateline=rng.choice(CITIES),
                    summary=writer.text(250),
                    body=writer.body(rng.choice(contacts).name, issuer.name),
                    author=author,
                    status=status,
                    published_at=published,
                    embargoed_until=embargo,
                    withdrawn_at=withdrawn,
                    withdrawal_reason="Issued in error." if withdrawn else "",
                    language="en",
                    created_at=created,
                    updated_at=min(updated, now),
                )
            )
            partners = rng.sample(organizations, rng.choice((0, 0, 0, 1, 1, 2)))
            own = [tags_by_name[word] for word in topical if word in tags_by_name]
            chosen = {rng.choice(own)} if own else set()
            wanted = rng.randint(2, 4)
            while len(chosen) < wanted:
                # One tag in ten comes from another field.
                field = ranked[topic] if rng.random() < 0.9 else ranked[rng.choice(list(TOPICS))]
                chosen.add(field[zipf_index(rng, len(field))])
            plans.append(
                (
                    [issuer, *(p for p in partners if p is not issuer)],
                    rng.sample(contacts, rng.randint(1, 2)),
                    chosen,
                )
            )
        with transaction.atomic(), explicit_timestamps(Release):
            Release.objects.bulk_create(releases)
            ReleaseOrganization.objects.bulk_create(
                ReleaseOrganization(release=release, organization=organization, position=n)
                for release, (issuers, _, _) in zip(releases, plans, strict=True)
                for n, organization in enumerate(issuers)
            )
            ReleaseContact.objects.bulk_create(
                ReleaseContact(release=release, contact=contact, position=n)
                for release, (_, people, _) in zip(releases, plans, strict=True)
                for n, contact in enumerate(people)
            )
            TaggedItem.objects.bulk_create(
                TaggedItem(tag=tag, content_type=content_type, object_id=release.pk)
                for release, (_, _, chosen) in zip(releases, plans, strict=True)
                for tag in chosen
            )
            # bulk_create bypasses save(): fill the vectors with the product's own SQL.
            update_search_vectors([release.pk for release in releases])
        done = min(first + BATCH, count)
        rate = done / (time.monotonic() - began)
        print(f"\r  {done:,} of {count:,} releases ({rate:,.0f}/s)", end="", flush=True)
    print()


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "releases_release",
            "releases_releaseorganization",
            "releases_releasecontact",
            "taggit_taggeditem",
            "taggit_tag",
            "releases_organization",
            "releases_author",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="Releases (default 100,000).")
    parser.add_argument("--database-url", default=BENCH_DATABASE_URL)
    parser.add_argument("--force", action="store_true", help="Empty the tables and seed again.")
    parser.add_argument("--seed", type=int, default=2024, help="Random seed (default 2024).")
    options = parser.parse_args(argv)
    if options.count < 1:
        parser.error("--count must be at least 1")

    ensure_database(options.database_url)
    setup_django(options.database_url)
    from django.core.management import call_command

    from releases.models import Release

    name = database_name(options.database_url)
    call_command("migrate", verbosity=0, interactive=False)
    existing = Release.objects.count()
    if existing == options.count and not options.force:
        print(f"{name}: {existing:,} releases already there; seeding skipped (--force redoes).")
        return 0
    began = time.monotonic()
    print(f"{name}: seeding {options.count:,} releases (had {existing:,})…")
    empty_tables()
    seed(options.count, options.seed)
    vacuum_analyze()
    print(f"{name}: seeded in {time.monotonic() - began:,.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
