"""``manage.py export_releases``: the public filters, --status, --output, errors."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import feedparser
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from releases.models import Status
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

MARCH = datetime(2024, 3, 12, 9, 30, tzinfo=UTC)
APRIL = datetime(2024, 4, 2, 15, 0, tzinfo=UTC)


def run(*args, stdout=None) -> str:
    stdout = stdout or io.StringIO()
    call_command("export_releases", *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def slugs(*args) -> list[str]:
    return [item["slug"] for item in json.loads(run("--format", "json", *args))]


@pytest.fixture
def newsroom():
    who = OrganizationFactory(name="World Health Organization", short_name="WHO")
    ada = AuthorFactory(name="Ada Reporter")
    now = timezone.now()
    return {
        "march": ReleaseFactory(
            slug="march-vaccines",
            headline="Vaccine drive reaches villages",
            published_at=MARCH,
            organizations=[who],
            author=ada,
            tags=["Health", "Vaccines"],
        ),
        "april": ReleaseFactory(
            slug="april-schools", headline="Schools reopen", published_at=APRIL, tags=["Health"]
        ),
        "draft": ReleaseFactory(slug="a-draft", headline="Vaccine draft", draft=True),
        "review": ReleaseFactory(slug="in-review", headline="Board news", in_review=True),
        "scheduled": ReleaseFactory(
            slug="scheduled", headline="Scheduled", published_at=now + timedelta(days=1)
        ),
        "withdrawn": ReleaseFactory(
            slug="withdrawn",
            headline="Withdrawn",
            published_at=APRIL,
            status=Status.WITHDRAWN,
            withdrawn_at=APRIL + timedelta(days=1),
        ),
    }


def test_default_exports_only_public_releases_newest_first(newsroom):
    assert slugs() == ["april-schools", "march-vaccines"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("public", ["april-schools", "march-vaccines"]),
        ("draft", ["a-draft"]),
        ("review", ["in-review"]),
        ("published", ["scheduled", "april-schools", "march-vaccines"]),
        ("withdrawn", ["withdrawn"]),
    ],
)
def test_status_selects_releases_for_staff(newsroom, status, expected):
    assert slugs("--status", status) == expected


def test_status_all_puts_undated_drafts_first(newsroom):
    exported = slugs("--status", "all")

    assert set(exported[:2]) == {"a-draft", "in-review"}
    assert exported[2:] == ["scheduled", "withdrawn", "april-schools", "march-vaccines"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--tag", "health"], ["april-schools", "march-vaccines"]),
        (["--tag", "health", "--tag", "vaccines"], ["march-vaccines"]),
        (["--organization", "who"], ["march-vaccines"]),
        (["--author", "ada-reporter"], ["march-vaccines"]),
        (["--year", "2024", "--month", "4"], ["april-schools"]),
        (["--from", "2024-03-01", "--to", "2024-03-31"], ["march-vaccines"]),
        (["--q", "vaccine"], ["march-vaccines"]),
    ],
)
def test_public_filters_apply(newsroom, args, expected):
    assert slugs(*args) == expected


def test_filters_combine_with_status(newsroom):
    assert slugs("--status", "all", "--q", "vaccine") == ["a-draft", "march-vaccines"]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--tag", "no-such-tag"], "--tag"),
        (["--organization", "nobody"], "--organization"),
        (["--month", "4"], "--month"),
        (["--year", "20x4"], "--year"),
        (["--from", "2024-13-01"], "--from"),
        (["--from", "2024-05-01", "--to", "2024-04-01"], "--to"),
    ],
)
def test_invalid_filters_stop_with_the_option_named(newsroom, args, option):
    with pytest.raises(CommandError, match=option):
        run("--format", "csv", *args)


def test_output_writes_the_file_and_nothing_to_stdout(newsroom, tmp_path):
    path = tmp_path / "releases.csv"

    printed = run("--format", "csv", "--output", str(path))

    assert printed == ""
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert [row["slug"] for row in rows] == ["april-schools", "march-vaccines"]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_output_into_a_missing_folder_is_an_error(newsroom, tmp_path):
    with pytest.raises(CommandError, match="--output"):
        run("--format", "csv", "--output", str(tmp_path / "missing" / "releases.csv"))


def test_xlsx_goes_to_a_file(newsroom, tmp_path):
    path = tmp_path / "releases.xlsx"

    run("--format", "xlsx", "--status", "all", "--output", str(path))

    rows = list(openpyxl.load_workbook(path)["Releases"].iter_rows(values_only=True))
    assert len(rows) == 1 + 6


def test_xlsx_to_a_text_stdout_asks_for_output(newsroom):
    with pytest.raises(CommandError, match="--output"):
        run("--format", "xlsx")


def test_xlsx_goes_to_a_binary_stdout(newsroom):
    class BinaryStdout(io.StringIO):
        def __init__(self):
            super().__init__()
            self.buffer = io.BytesIO()

    stdout = BinaryStdout()

    run("--format", "xlsx", stdout=stdout)

    workbook = openpyxl.load_workbook(io.BytesIO(stdout.buffer.getvalue()))
    assert len(list(workbook["Releases"].iter_rows())) == 3


@pytest.mark.parametrize("format_name", ["json", "ndjson", "atom", "ninjs", "csv"])
def test_every_text_format_goes_to_stdout(newsroom, format_name):
    assert "april-schools" in run("--format", format_name, "--base-url", "https://n.example")


def test_base_url_makes_links_absolute(newsroom):
    items = json.loads(run("--format", "ninjs", "--base-url", "https://news.example.org/"))
    assert items[0]["uri"] == "https://news.example.org/releases/april-schools/"


def test_the_sites_base_url_setting_is_the_default(newsroom, settings):
    settings.NEWSROOM_BASE_URL = "https://press.example.org"

    items = json.loads(run("--format", "ninjs"))
    atom = run("--format", "atom", "--tag", "health")

    assert items[0]["uri"] == "https://press.example.org/releases/april-schools/"
    assert 'href="https://press.example.org/feeds/releases.atom?tag=health" rel="self"' in atom


def test_base_url_must_be_http(newsroom):
    with pytest.raises(CommandError, match="--base-url"):
        run("--format", "ninjs", "--base-url", "news.example.org")


def test_no_progress_bar_when_stderr_is_not_a_terminal(newsroom):
    stderr = io.StringIO()
    call_command("export_releases", "--format", "csv", stdout=io.StringIO(), stderr=stderr)
    assert stderr.getvalue() == ""


def test_progress_bar_on_a_terminal(newsroom):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stderr = Terminal()
    call_command("export_releases", "--format", "csv", stdout=io.StringIO(), stderr=stderr)
    assert "Exporting 2 of 2 releases (100 %)" in stderr.getvalue()


def test_the_command_line_runs(newsroom, tmp_path, capsys):
    # Through argument parsing as from a shell: --from and --to are Python keywords.
    from django.core.management import ManagementUtility

    path = tmp_path / "out.ndjson"
    ManagementUtility(
        ["manage.py", "export_releases", "--format=ndjson", "--from=2024-04-01", "-o", str(path)]
    ).execute()
    assert [json.loads(line)["slug"] for line in path.read_text().splitlines()] == ["april-schools"]


def atom_links(*args) -> tuple[dict[str, str], feedparser.FeedParserDict]:
    feed = feedparser.parse(
        run("--format", "atom", "--base-url", "https://news.example.org", *args)
    )
    assert not feed.bozo, feed.bozo_exception
    return {link.rel: link.href for link in feed.feed.links}, feed


@pytest.mark.parametrize(
    ("args", "self_url"),
    [
        ([], "https://news.example.org/feeds/releases.atom"),
        (["--status", "all"], "https://news.example.org/feeds/releases.atom"),
        (
            ["--tag", "vaccines", "--tag", "health", "--organization", "who"],
            "https://news.example.org/feeds/releases.atom?tag=health&tag=vaccines&organization=who",
        ),
        (
            ["--year", "2024", "--month", "3", "--q", "vaccine drive"],
            "https://news.example.org/feeds/releases.atom?year=2024&month=3&q=vaccine+drive",
        ),
        (
            ["--author", "ada-reporter", "--from", "2024-03-01", "--to", "2024-03-31"],
            "https://news.example.org/feeds/releases.atom"
            "?author=ada-reporter&from=2024-03-01&to=2024-03-31",
        ),
    ],
)
def test_the_atom_export_links_itself_to_the_public_feed_of_its_filters(
    client, newsroom, args, self_url
):
    links, feed = atom_links(*args)
    assert links["self"] == self_url
    assert links["alternate"] == "https://news.example.org/releases/"
    # Still a valid Atom document: an id and an updated time of its own.
    assert feed.feed.id.startswith("tag:news.example.org,")
    assert feed.feed.updated_parsed
    # The linked feed exists and selects with the same filters.
    path = self_url.removeprefix("https://news.example.org")
    assert client.get(path).status_code == 200


def test_the_atom_self_link_is_one_link_in_the_document(newsroom):
    document = run("--format", "atom")
    assert document.count('rel="self"') == 1
