"""Invented sample content: five organizations, their people and their releases.

Every organization, person, product and place name below is fictional. Websites and
email addresses use the reserved example domains; phone numbers come from ranges set
aside for drama and fiction (UK 020 7946 0xxx and 0117 496 0xxx, US/Canada 555-01xx,
Australia 02 5550 xxxx, France 01 99 00 xx xx).

Times are offsets from the moment of loading (``days_ago``, ``days_ahead``), so the
demo always looks current. Body text is HTML written for this project; the loader
adds the lede (the summary) as the first paragraph, as a real release reads.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT = "draft"
REVIEW = "review"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class DemoOrganization:
    name: str
    short_name: str
    website: str
    location: str
    boilerplate: str


@dataclass(frozen=True)
class DemoAuthor:
    name: str
    organization: str  # short name of the organization
    bio: str


@dataclass(frozen=True)
class DemoContact:
    name: str
    role: str
    organization: str  # short name
    email: str
    phone: str


@dataclass(frozen=True)
class DemoRelease:
    slug: str
    headline: str
    subheadline: str
    dateline: str
    summary: str
    paragraphs: tuple[str, ...]  # HTML paragraphs after the lede (without <p>)
    organizations: tuple[str, ...]  # short names, issuer first
    contacts: tuple[str, ...]  # contact emails, in order
    author: str
    tags: tuple[str, ...]
    status: str = PUBLISHED
    days_ago: int | None = None  # publication day, counted back from today
    days_ahead: int | None = None  # scheduled: publication day from today
    at: str = "09:00"  # local time of publication
    embargo_days_ahead: int | None = None  # embargo lifts that many days from today
    embargo_at: str = "07:00"
    withdrawn_days_ago: int | None = None
    withdrawal_reason: str = ""
    quote: tuple[str, str] | None = None  # (words, who said them)
    bullets: tuple[str, tuple[str, ...]] | None = None  # (lead-in sentence, items)
    closing: str = ""  # a last HTML paragraph, usually with a link
    corrections: tuple[tuple[int, str], ...] = ()  # (days after publication, note)
    language: str = "en"


ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        name="Calder Institute for Climate and Ocean Research",
        short_name="CICOR",
        website="https://calder.example.org",
        location="Bristol, United Kingdom",
        boilerplate=(
            "The Calder Institute for Climate and Ocean Research is an independent research "
            "institute studying how the seas around the British Isles are changing and what "
            "that means for the people who live beside them. Founded in 1968, it employs 240 "
            "scientists and engineers at its Bristol campus and its coastal observatory. Its "
            "data, models and reports are published openly."
        ),
    ),
    DemoOrganization(
        name="Meridian Health Alliance",
        short_name="MHA",
        website="https://meridianhealth.example.org",
        location="Paris, France",
        boilerplate=(
            "Meridian Health Alliance is an international non-governmental organization that "
            "brings primary health care, vaccination and emergency medical aid to communities "
            "that health systems do not reach. It works in 19 countries with more than 3,000 "
            "staff, most of them recruited locally. Meridian is funded by private donors, "
            "foundations and public agencies, and publishes audited accounts every year."
        ),
    ),
    DemoOrganization(
        name="Harbour City Transport Authority",
        short_name="HCTA",
        website="https://hcta.example.net",
        location="Sydney, Australia",
        boilerplate=(
            "The Harbour City Transport Authority plans, funds and operates the public "
            "transport network of the Harbour City region: 4 light rail lines, 310 bus routes "
            "and 9 ferry services carrying more than a million journeys on an average "
            "weekday. The Authority reports to the regional transport minister and publishes "
            "its performance data every month."
        ),
    ),
    DemoOrganization(
        name="Stormpoint Renewables",
        short_name="SPR",
        website="https://stormpoint.example.com",
        location="London, United Kingdom",
        boilerplate=(
            "Stormpoint Renewables develops, builds and operates offshore wind farms, onshore "
            "wind and grid-scale batteries in the United Kingdom and Canada. Its 2.1 GW of "
            "operating capacity supplies the equivalent of 1.6 million homes. Stormpoint is "
            "headquartered in London and employs 900 people."
        ),
    ),
    DemoOrganization(
        name="Whitfield University",
        short_name="WU",
        website="https://whitfield.example.org",
        location="Washington, DC, United States",
        boilerplate=(
            "Whitfield University is a private research university in Washington, DC, with "
            "14,500 students in nine schools. Founded in 1889, it is known for its work in "
            "engineering, public health and environmental science, and for its commitment to "
            "public service. Its Office of Communications can arrange interviews with faculty "
            "experts on short notice."
        ),
    ),
)


AUTHORS: tuple[DemoAuthor, ...] = (
    DemoAuthor(
        name="Imogen Hartley",
        organization="CICOR",
        bio=(
            "Imogen Hartley leads science communication at the Calder Institute. She trained "
            "as an oceanographer before ten years as an environment reporter."
        ),
    ),
    DemoAuthor(
        name="Tomasz Wierzbicki",
        organization="CICOR",
        bio="Tomasz Wierzbicki is a press officer at the Calder Institute, covering climate "
        "modelling and the institute's open-data programme.",
    ),
    DemoAuthor(
        name="Amélie Durand",
        organization="MHA",
        bio=(
            "Amélie Durand is Director of Communications at Meridian Health Alliance. She has "
            "reported from humanitarian emergencies on four continents."
        ),
    ),
    DemoAuthor(
        name="Kwame Asante",
        organization="MHA",
        bio="Kwame Asante writes about vaccination and community health programmes for "
        "Meridian Health Alliance.",
    ),
    DemoAuthor(
        name="Priya Raghunathan",
        organization="HCTA",
        bio=(
            "Priya Raghunathan is Media Manager at the Harbour City Transport Authority, "
            "responsible for network and project announcements."
        ),
    ),
    DemoAuthor(
        name="Liam O'Donoghue",
        organization="HCTA",
        bio="Liam O'Donoghue writes about customer services, accessibility and open data "
        "for the Harbour City Transport Authority.",
    ),
    DemoAuthor(
        name="Hannah Lindqvist",
        organization="SPR",
        bio=(
            "Hannah Lindqvist is Head of Corporate Communications at Stormpoint Renewables. "
            "Before joining the company she advised energy regulators on public engagement."
        ),
    ),
    DemoAuthor(
        name="Marcus Ellery",
        organization="WU",
        bio="Marcus Ellery is a senior science writer in Whitfield University's Office of "
        "Communications, covering engineering and the environment.",
    ),
)


CONTACTS: tuple[DemoContact, ...] = (
    DemoContact(
        name="Rosalind Achebe",
        role="Press Office Manager",
        organization="CICOR",
        email="rosalind.achebe@calder.example.org",
        phone="+44 117 496 0412",
    ),
    DemoContact(
        name="Ewan McTavish",
        role="Media Relations Officer (London)",
        organization="CICOR",
        email="ewan.mctavish@calder.example.org",
        phone="+44 20 7946 0731",
    ),
    DemoContact(
        name="Claire Fontaine",
        role="Head of Media",
        organization="MHA",
        email="claire.fontaine@meridianhealth.example.org",
        phone="+33 1 99 00 42 17",
    ),
    DemoContact(
        name="Yusuf Adeyemi",
        role="Emergency Communications Lead",
        organization="MHA",
        email="yusuf.adeyemi@meridianhealth.example.org",
        phone="+44 20 7946 0288",
    ),
    DemoContact(
        name="Daniel Nguyen",
        role="Media Manager",
        organization="HCTA",
        email="daniel.nguyen@hcta.example.net",
        phone="+61 2 5550 1847",
    ),
    DemoContact(
        name="Sophie Brennan",
        role="Senior Media Adviser",
        organization="HCTA",
        email="sophie.brennan@hcta.example.net",
        phone="+61 2 5550 3926",
    ),
    DemoContact(
        name="Oliver Grant",
        role="Head of Press",
        organization="SPR",
        email="oliver.grant@stormpoint.example.com",
        phone="+44 20 7946 0519",
    ),
    DemoContact(
        name="Marie-Ève Tremblay",
        role="Communications Manager, North America",
        organization="SPR",
        email="marie-eve.tremblay@stormpoint.example.com",
        phone="+1 613 555 0147",
    ),
    DemoContact(
        name="Jordan Ellis-Park",
        role="Director of Media Relations",
        organization="WU",
        email="jordan.ellis-park@whitfield.example.org",
        phone="+1 202 555 0163",
    ),
    DemoContact(
        name="Teresa Ocampo",
        role="Science News Officer",
        organization="WU",
        email="teresa.ocampo@whitfield.example.org",
        phone="+1 202 555 0119",
    ),
)


TAGS: tuple[str, ...] = (
    "Climate",
    "Oceans",
    "Biodiversity",
    "Public health",
    "Vaccines",
    "Humanitarian response",
    "Public transport",
    "Infrastructure",
    "Accessibility",
    "Renewable energy",
    "Offshore wind",
    "Energy storage",
    "Research",
    "Higher education",
    "Funding",
    "Partnerships",
    "Open data",
    "Appointments",
    "Awards",
    "Annual results",
)


# Contacts by short key, to keep the release list readable.
ROSALIND = "rosalind.achebe@calder.example.org"
EWAN = "ewan.mctavish@calder.example.org"
CLAIRE = "claire.fontaine@meridianhealth.example.org"
YUSUF = "yusuf.adeyemi@meridianhealth.example.org"
DANIEL = "daniel.nguyen@hcta.example.net"
SOPHIE = "sophie.brennan@hcta.example.net"
OLIVER = "oliver.grant@stormpoint.example.com"
MARIE_EVE = "marie-eve.tremblay@stormpoint.example.com"
JORDAN = "jordan.ellis-park@whitfield.example.org"
TERESA = "teresa.ocampo@whitfield.example.org"

CALDER_SITE = "https://calder.example.org"
MERIDIAN_SITE = "https://meridianhealth.example.org"
HCTA_SITE = "https://hcta.example.net"
STORMPOINT_SITE = "https://stormpoint.example.com"
WHITFIELD_SITE = "https://whitfield.example.org"


RELEASES: tuple[DemoRelease, ...] = (
    # -- Calder Institute for Climate and Ocean Research -----------------------------
    DemoRelease(
        slug="severn-estuary-seagrass-recovering-faster-than-expected",
        headline="Seagrass meadows in the Severn Estuary are recovering faster than expected",
        subheadline="Five years of monitoring record a 38 per cent increase in meadow area "
        "since replanting began",
        dateline="Bristol",
        summary=(
            "Seagrass meadows replanted along the Severn Estuary have grown by 38 per cent in "
            "five years, according to monitoring data published today by the Calder Institute "
            "for Climate and Ocean Research, almost twice the rate predicted when restoration "
            "began."
        ),
        paragraphs=(
            "Researchers mapped 212 hectares of meadow this summer using drone imagery and "
            "diver surveys, against 153 hectares in the first full survey. Growth was "
            "strongest in sheltered inlets where sediment has stabilised, and weakest beside "
            "the shipping channels.",
            "Divers also recorded juvenile pollack and cuttlefish at restored sites. Both "
            "species use seagrass as a nursery and had been largely absent from the estuary "
            "for two decades.",
        ),
        quote=(
            "Seagrass is one of the few habitats we can restore at scale and watch work within "
            "a single research grant. These results tell us the method is sound; the question "
            "now is how quickly we can repeat it along the rest of the coast.",
            "Dr Helen Marsh, marine ecologist at the Calder Institute and lead author",
        ),
        closing=(
            "The survey report and its maps are published on the "
            f'<a href="{CALDER_SITE}/reports/severn-seagrass">Calder Institute website</a>.'
        ),
        organizations=("CICOR",),
        contacts=(ROSALIND,),
        author="Imogen Hartley",
        tags=("Oceans", "Biodiversity", "Research"),
        days_ago=1052,
        at="10:00",
    ),
    DemoRelease(
        slug="calder-institute-opens-portishead-coastal-observatory",
        headline="Calder Institute opens £14 million coastal observatory at Portishead",
        subheadline="Year-round measurements of tides, sediment and water quality in the "
        "Bristol Channel, streamed openly every fifteen minutes",
        dateline="Portishead",
        summary=(
            "The Calder Institute today opened a £14 million coastal observatory at "
            "Portishead, giving scientists continuous measurements of one of the largest tidal "
            "ranges in the world."
        ),
        paragraphs=(
            "The observatory replaces a network of seasonal buoys that could not survive "
            "winter storms. Its instruments are mounted on a fixed pier and cleaned by remote "
            "control, so the record will no longer stop between October and March.",
            "Construction took 22 months and was funded by the institute's capital programme "
            "with contributions from two regional councils.",
        ),
        bullets=(
            "The observatory includes:",
            (
                "a 40-metre instrumented pier measuring tide height, temperature and salinity "
                "every ten seconds",
                "a wet laboratory supplied with running seawater for live sampling",
                "a public gallery and classroom for school visits",
                "an open data feed updated every fifteen minutes",
            ),
        ),
        quote=(
            "Until now our winter record has had holes in it exactly when the most "
            "interesting things happen. This building closes those gaps.",
            "Professor Gareth Lowe, Director of Observations",
        ),
        closing=(
            "Live readings are available from the "
            f'<a href="{CALDER_SITE}/observatory/live">observatory dashboard</a>.'
        ),
        organizations=("CICOR",),
        contacts=(ROSALIND, EWAN),
        author="Imogen Hartley",
        tags=("Oceans", "Research", "Infrastructure"),
        days_ago=958,
        at="11:30",
    ),
    DemoRelease(
        slug="uk-sea-surface-temperatures-record-third-summer",
        headline="UK sea surface temperatures set a record for the third summer running",
        subheadline="The Calder Institute's annual State of UK Seas report finds marine "
        "heatwaves lasting longer and reaching further north",
        dateline="Bristol",
        summary=(
            "Average sea surface temperatures around the United Kingdom were the highest on "
            "record this summer for the third year in a row, the Calder Institute's annual "
            "State of UK Seas report shows."
        ),
        paragraphs=(
            "Between June and August the average anomaly across UK waters was 1.6°C above "
            "the long-term mean. June was the most unusual month, at 2.4°C above average, with "
            "a marine heatwave lasting 26 days off the east coast.",
            "The report combines satellite observations with readings from 58 coastal "
            "stations. It finds that heatwaves now begin on average three weeks earlier than "
            "in the 1990s and extend further into the northern North Sea.",
            "Warmer water affects plankton blooms, fish spawning and the oxygen available to "
            "shellfish beds, with consequences for coastal fisheries that the institute will "
            "examine in a follow-up study.",
        ),
        quote=(
            "Three record summers in a row is not a fluctuation; it is a trend arriving "
            "faster than many of our models assumed.",
            "Dr Fiona Carrick, climate scientist and report co-author",
        ),
        closing=(
            "The report and its data tables can be downloaded from "
            f'<a href="{CALDER_SITE}/state-of-uk-seas">calder.example.org/state-of-uk-seas</a>.'
        ),
        organizations=("CICOR",),
        contacts=(ROSALIND,),
        author="Tomasz Wierzbicki",
        tags=("Climate", "Oceans", "Open data"),
        days_ago=874,
        at="00:01",
        corrections=(
            (
                2,
                "An earlier version of this release gave the June anomaly as 2.9°C; the "
                "correct figure is 2.4°C.",
            ),
        ),
    ),
    DemoRelease(
        slug="calder-institute-appoints-professor-anjali-rao-director",
        headline="Calder Institute appoints Professor Anjali Rao as Director",
        subheadline="The physical oceanographer will take up the post in the spring, "
        "succeeding Professor Martin Hale",
        dateline="Bristol",
        summary=(
            "The Calder Institute for Climate and Ocean Research has appointed Professor "
            "Anjali Rao, a physical oceanographer known for her work on coastal flooding, as "
            "its next Director."
        ),
        paragraphs=(
            "Professor Rao joins from a university chair in coastal physics, where she led a "
            "research group of 30 and a national programme on storm-surge forecasting. She "
            "has advised three government inquiries into coastal flood defences.",
            "She succeeds Professor Martin Hale, who has led the institute for eleven years "
            "and will return to full-time research on ocean circulation.",
        ),
        quote=(
            "The Calder Institute turns measurements into knowledge that coastal communities "
            "can act on. I am honoured to lead it at a moment when that work has never been "
            "more needed.",
            "Professor Anjali Rao",
        ),
        organizations=("CICOR",),
        contacts=(ROSALIND,),
        author="Imogen Hartley",
        tags=("Appointments", "Research"),
        days_ago=701,
        at="10:00",
    ),
    DemoRelease(
        slug="marine-heatwaves-linked-to-north-atlantic-kelp-collapse",
        headline="Marine heatwaves linked to collapse of North Atlantic kelp forests",
        subheadline="A joint study by the Calder Institute and Whitfield University finds kelp "
        "cover fell by up to 60 per cent after prolonged heatwaves",
        dateline="Bristol",
        summary=(
            "Kelp forests on both sides of the North Atlantic lost up to 60 per cent of their "
            "cover in the two years after prolonged marine heatwaves, according to a study "
            "published today by the Calder Institute and Whitfield University."
        ),
        paragraphs=(
            "The team analysed 25 years of underwater surveys from 140 sites in the British "
            "Isles, Norway and New England, and matched them with daily temperature records. "
            "Sites that experienced more than 30 consecutive days above their seasonal "
            "maximum lost kelp far faster than sites exposed to short, intense spikes.",
            "Where kelp disappeared, it was replaced within two seasons by low turf algae that "
            "support fewer fish and store less carbon. Only a quarter of the affected sites "
            "showed signs of recovery by the end of the study period.",
            "The researchers say the duration of heatwaves, rather than their peak "
            "temperature, should be the main measure used in marine conservation planning.",
        ),
        quote=(
            "Kelp can shrug off a hot week. What it cannot survive is a hot month, and those "
            "are becoming normal.",
            "Dr Nathaniel Brooks, marine biologist at Whitfield University and co-lead author",
        ),
        bullets=(
            "Key findings:",
            (
                "kelp cover fell by 35 to 60 per cent at sites with heatwaves longer than 30 days",
                "short heatwaves of under ten days caused no lasting loss",
                "turf algae replaced kelp at 71 per cent of affected sites",
                "recovery was fastest where grazing sea urchins were scarce",
            ),
        ),
        closing=(
            "The paper and its survey dataset are available on the "
            f'<a href="{CALDER_SITE}/research/kelp-heatwaves">Calder Institute website</a>.'
        ),
        organizations=("CICOR", "WU"),
        contacts=(EWAN, TERESA),
        author="Tomasz Wierzbicki",
        tags=("Climate", "Oceans", "Biodiversity", "Partnerships"),
        days_ago=566,
        at="16:00",
    ),
    DemoRelease(
        slug="calder-institute-opens-ten-years-of-coastal-water-quality-data",
        headline="Ten years of coastal water-quality data released under an open licence",
        subheadline="Eleven million readings from 58 stations are now free to download, "
        "query and reuse",
        dateline="Bristol",
        summary=(
            "The Calder Institute has published ten years of coastal water-quality "
            "measurements under an open licence, making eleven million readings freely "
            "available to researchers, councils and the public."
        ),
        paragraphs=(
            "The dataset covers temperature, salinity, dissolved oxygen, turbidity and "
            "nutrient levels at 58 stations around England and Wales. Each reading carries a "
            "quality flag and a record of the instrument that made it.",
            "Data can be downloaded as CSV files or queried through a public API, and will be "
            "updated every month. The institute has also published the code it uses to check "
            "and clean the readings.",
        ),
        quote=(
            "Public money paid for these measurements, so the public should be able to use "
            "them. We want local groups to find things in this data that we have missed.",
            "Dr Rhys Morgan, head of data services",
        ),
        closing=(
            "Explore the data at "
            f'<a href="{CALDER_SITE}/data/coastal-water-quality">'
            "calder.example.org/data/coastal-water-quality</a>."
        ),
        organizations=("CICOR",),
        contacts=(EWAN,),
        author="Tomasz Wierzbicki",
        tags=("Open data", "Oceans", "Research"),
        days_ago=433,
        at="09:30",
    ),
    DemoRelease(
        slug="shoreline-count-41000-seabird-sightings",
        headline="Volunteers log 41,000 seabird sightings in the first Shoreline Count",
        subheadline="More than 2,300 people took part in the Calder Institute's citizen "
        "science survey of the coast",
        dateline="Bristol",
        summary=(
            "More than 2,300 volunteers recorded 41,000 seabird sightings over one weekend in "
            "the Calder Institute's first Shoreline Count, the largest citizen survey of UK "
            "seabirds carried out in a single weekend."
        ),
        paragraphs=(
            "Participants walked set stretches of coast and logged what they saw in a phone "
            "app, which checked each record against photographs and location. Herring gulls, "
            "oystercatchers and cormorants were the most frequently recorded species.",
            "Scientists will compare the results with professional surveys to measure how "
            "accurate volunteer counts are, with the aim of repeating the Count every year.",
        ),
        quote=(
            "We had grandparents, school groups and birdwatchers with forty years of "
            "experience walking the same beaches on the same weekend. That kind of coverage "
            "is impossible for a research team alone.",
            "Dr Sarah Penrose, seabird ecologist",
        ),
        organizations=("CICOR",),
        contacts=(ROSALIND,),
        author="Imogen Hartley",
        tags=("Biodiversity", "Research", "Oceans"),
        days_ago=251,
        at="10:00",
    ),
    DemoRelease(
        slug="calder-institute-to-host-ocean-observation-conference",
        headline="Calder Institute to host international ocean-observation conference",
        subheadline="Six hundred scientists and engineers expected in Bristol for three days "
        "of talks on sensors, satellites and data sharing",
        dateline="Bristol",
        summary=(
            "The Calder Institute will host the international Ocean Observation Forum in "
            "Bristol next spring, bringing together 600 scientists, engineers and data "
            "specialists from 40 countries."
        ),
        paragraphs=(
            "The forum will focus on low-cost sensors, autonomous vessels and the shared "
            "standards that allow measurements from different countries to be combined.",
            "Registration will open in the new year, with reduced fees for early-career "
            "researchers and participants from low-income countries.",
        ),
        organizations=("CICOR",),
        contacts=(EWAN,),
        author="Tomasz Wierzbicki",
        tags=("Oceans", "Partnerships"),
        status=WITHDRAWN,
        days_ago=122,
        at="12:00",
        withdrawn_days_ago=97,
        withdrawal_reason=(
            "The forum has been postponed. A new release will follow once dates are confirmed."
        ),
    ),
    DemoRelease(
        slug="calder-institute-funding-somerset-coast-sediment-study",
        headline="£6.2 million to study sediment loss along the Somerset coast",
        subheadline="A five-year project will measure how much sand and mud the coast is "
        "losing, and where it goes",
        dateline="Bristol",
        summary=(
            "The Calder Institute has been awarded £6.2 million to measure sediment loss along "
            "the Somerset coast, where salt marshes and beaches protect thousands of homes "
            "from flooding."
        ),
        paragraphs=(
            "The project will combine repeated laser surveys from aircraft with sensors on "
            "the seabed to track sediment through storms and across seasons.",
            "Results will feed directly into the shoreline management plans drawn up by "
            "local councils and the coastal flood authority.",
        ),
        organizations=("CICOR",),
        contacts=(ROSALIND,),
        author="Imogen Hartley",
        tags=("Funding", "Climate", "Research"),
        status=DRAFT,
    ),
    DemoRelease(
        slug="arctic-sea-ice-free-septembers-decade-earlier",
        headline="Arctic could see ice-free Septembers a decade earlier than thought",
        subheadline="A new model that resolves ocean eddies brings forward the expected date "
        "of the first ice-free summer",
        dateline="Bristol",
        summary=(
            "The Arctic Ocean could be practically free of sea ice in September about ten "
            "years earlier than previous estimates suggested, according to modelling by the "
            "Calder Institute published in a peer-reviewed journal."
        ),
        paragraphs=(
            "The model represents ocean eddies only a few kilometres across, which carry warm "
            "Atlantic water under the ice. Earlier models could not resolve them and "
            "underestimated how much heat reaches the ice from below.",
            "Under all but the lowest emissions scenarios, the model projects the first "
            "September with less than one million square kilometres of ice within the next "
            "two decades.",
        ),
        quote=(
            "Melting from below has been the missing piece. Once the model can see the "
            "eddies, the ice goes faster.",
            "Dr Ingrid Solberg, lead author",
        ),
        closing=(
            "Journalists can request the paper and interviews from the press office; the "
            f'<a href="{CALDER_SITE}/research/arctic-eddies">summary page</a> goes live when '
            "the embargo lifts."
        ),
        organizations=("CICOR",),
        contacts=(EWAN, ROSALIND),
        author="Tomasz Wierzbicki",
        tags=("Climate", "Oceans", "Research"),
        days_ago=1,
        at="15:00",
        embargo_days_ahead=2,
        embargo_at="16:00",
    ),
    # -- Meridian Health Alliance ----------------------------------------------------
    DemoRelease(
        slug="meridian-mobile-clinics-displaced-families-sahel",
        headline="Meridian Health Alliance launches mobile clinics for displaced families "
        "in the Sahel",
        subheadline="Twelve clinic teams will provide consultations, vaccination and "
        "maternal care where no health centre is open",
        dateline="Paris",
        summary=(
            "Meridian Health Alliance has deployed twelve mobile clinic teams to reach "
            "families displaced by conflict and drought in the Sahel, where more than half of "
            "local health centres have closed."
        ),
        paragraphs=(
            "Each team includes a doctor, two nurses, a midwife and a community health worker "
            "and travels by four-wheel-drive vehicle to settlements on a fixed weekly "
            "schedule, so families know when care will arrive.",
            "The teams expect to provide 15,000 consultations a month, with a focus on "
            "children under five, pregnant women and people with chronic illness who have "
            "lost access to their medicines.",
        ),
        quote=(
            "When people are forced to move, their health care does not move with them. "
            "These clinics bring it back to them on a day they can count on.",
            "Dr Aïssata Diallo, Meridian's regional medical coordinator",
        ),
        closing=(
            "Meridian's programmes in the region are described on "
            f'<a href="{MERIDIAN_SITE}/where-we-work">its website</a>.'
        ),
        organizations=("MHA",),
        contacts=(YUSUF, CLAIRE),
        author="Amélie Durand",
        tags=("Humanitarian response", "Public health"),
        days_ago=1071,
        at="08:00",
    ),
    DemoRelease(
        slug="meridian-partners-deliver-two-million-measles-vaccine-doses",
        headline="Two million measles vaccine doses delivered in catch-up campaign",
        subheadline="Meridian Health Alliance and national health ministries reached children "
        "who missed routine vaccination",
        dateline="Paris",
        summary=(
            "A catch-up campaign led by national health ministries with Meridian Health "
            "Alliance has delivered two million measles vaccine doses to children in five "
            "countries of West and Central Africa."
        ),
        paragraphs=(
            "The campaign targeted districts where routine coverage had fallen below 60 per "
            "cent, leaving communities exposed to outbreaks. Vaccination teams worked through "
            "schools, markets and places of worship over six weeks.",
            "Meridian provided logistics, cold-chain equipment and training, while "
            "vaccination was carried out by ministry staff and local health workers.",
        ),
        bullets=(
            "The campaign in numbers:",
            (
                "2,013,000 doses given to children aged nine months to 14 years",
                "4,600 health workers trained in safe injection and record-keeping",
                "310 solar-powered vaccine refrigerators installed",
                "zero doses lost to cold-chain failure",
            ),
        ),
        quote=(
            "Measles comes back first wherever vaccination slips. Every child reached in this "
            "campaign is one fewer chance for an outbreak.",
            "Dr Samuel Okafor, senior vaccination adviser",
        ),
        organizations=("MHA",),
        contacts=(CLAIRE,),
        author="Kwame Asante",
        tags=("Vaccines", "Public health", "Partnerships"),
        days_ago=987,
        at="10:00",
    ),
    DemoRelease(
        slug="meridian-annual-report-4-3-million-consultations",
        headline="Meridian Health Alliance provided 4.3 million consultations last year",
        subheadline="The annual report shows growth in maternal care and a lower share of "
        "spending on administration",
        dateline="Paris",
        summary=(
            "Meridian Health Alliance provided 4.3 million medical consultations in 19 "
            "countries last year, an increase of 12 per cent, according to its annual report "
            "published today."
        ),
        paragraphs=(
            "Births attended by Meridian midwives rose to 96,000, and the organization "
            "treated 210,000 children for malnutrition. Emergency teams responded to eleven "
            "outbreaks and disasters.",
            "Total expenditure was €412 million, of which 89 per cent went directly to "
            "programmes. Administration and fundraising costs fell to 11 per cent from 13 per "
            "cent the previous year.",
        ),
        bullets=(
            "Highlights of the year:",
            (
                "4.3 million consultations, up 12 per cent",
                "96,000 births attended by trained midwives",
                "1.1 million vaccine doses administered",
                "89 per cent of spending on programmes",
            ),
        ),
        closing=(
            "The full annual report and audited accounts are available at "
            f'<a href="{MERIDIAN_SITE}/annual-report">meridianhealth.example.org/annual-report'
            "</a>."
        ),
        organizations=("MHA",),
        contacts=(CLAIRE,),
        author="Amélie Durand",
        tags=("Annual results", "Public health"),
        days_ago=819,
        at="09:00",
    ),
    DemoRelease(
        slug="meridian-cholera-treatment-teams-after-cyclone-flooding",
        headline="Meridian deploys cholera treatment teams after cyclone flooding",
        subheadline="Three treatment centres and 40 oral rehydration points opened within a "
        "week of the floods",
        dateline="Paris",
        summary=(
            "Meridian Health Alliance has opened three cholera treatment centres and 40 oral "
            "rehydration points in coastal provinces flooded by last week's cyclone, as "
            "suspected cases rise."
        ),
        paragraphs=(
            "Floodwater has contaminated wells and damaged sanitation in towns where more than "
            "300,000 people live. Health authorities have reported 1,200 suspected cholera "
            "cases since the storm made landfall.",
            "Meridian teams are also distributing water purification tablets and hygiene kits "
            "and are supporting local health workers to trace contacts of confirmed cases.",
            "The organization has launched an emergency appeal to fund the response for its "
            "first three months.",
        ),
        quote=(
            "Cholera kills when treatment is far away. With rehydration points in every "
            "affected town, almost every patient who reaches us in time will survive.",
            "Yusuf Adeyemi, Emergency Communications Lead, speaking from the response",
        ),
        closing=(
            f'Donations to the emergency appeal can be made at <a href="{MERIDIAN_SITE}/appeal">'
            "meridianhealth.example.org/appeal</a>."
        ),
        organizations=("MHA",),
        contacts=(YUSUF,),
        author="Amélie Durand",
        tags=("Humanitarian response", "Public health"),
        days_ago=642,
        at="14:00",
    ),
    DemoRelease(
        slug="meridian-names-dr-samuel-okafor-medical-director",
        headline="Meridian Health Alliance names Dr Samuel Okafor as Medical Director",
        subheadline="The paediatrician has led the organization's vaccination programmes for "
        "eight years",
        dateline="Paris",
        summary=(
            "Meridian Health Alliance has appointed Dr Samuel Okafor, a paediatrician and "
            "epidemiologist, as its Medical Director, responsible for the quality of care in "
            "all of its programmes."
        ),
        paragraphs=(
            "Dr Okafor joined Meridian twelve years ago as a field doctor and has led its "
            "vaccination programmes since eight years ago, overseeing campaigns that reached "
            "more than ten million children.",
            "He succeeds Dr Hélène Marchetti, who retires after 25 years with the organization.",
        ),
        quote=(
            "Our medical standards are what communities and donors trust us for. I will "
            "protect them, and make sure our own staff have the training and support to meet "
            "them.",
            "Dr Samuel Okafor",
        ),
        organizations=("MHA",),
        contacts=(CLAIRE,),
        author="Kwame Asante",
        tags=("Appointments", "Public health"),
        days_ago=468,
        at="11:00",
    ),
    DemoRelease(
        slug="meridian-certify-5000-community-health-workers-malaria",
        headline="New programme to certify 5,000 community health workers in malaria care",
        subheadline="Workers will diagnose and treat uncomplicated malaria in villages hours "
        "from the nearest clinic",
        dateline="Paris",
        summary=(
            "Meridian Health Alliance has launched a three-year programme to train and certify "
            "5,000 community health workers to diagnose and treat uncomplicated malaria in "
            "remote villages."
        ),
        paragraphs=(
            "Each worker will be equipped with rapid diagnostic tests, antimalarial medicines "
            "and a mobile phone for reporting cases and ordering supplies. Severe cases will be "
            "referred to the nearest clinic with transport costs covered.",
            "The programme is funded by a €9 million grant from a consortium of three private "
            "foundations and will be delivered with national malaria control programmes.",
        ),
        quote=(
            "Most malaria deaths happen because treatment comes a day too late. A trained "
            "worker in the village removes that day.",
            "Dr Grace Mwangi, malaria programme lead",
        ),
        organizations=("MHA",),
        contacts=(CLAIRE,),
        author="Kwame Asante",
        tags=("Public health", "Funding", "Partnerships"),
        days_ago=331,
        at="09:00",
    ),
    DemoRelease(
        slug="text-message-reminders-raise-childhood-vaccination-completion",
        headline="Text-message reminders raise childhood vaccination completion by 19 per cent",
        subheadline="A randomised study by Meridian Health Alliance tested reminders in 14 "
        "districts",
        dateline="Paris",
        summary=(
            "Sending parents text-message reminders before each vaccination appointment "
            "increased the share of children who completed their first-year vaccinations by "
            "19 per cent, a randomised study by Meridian Health Alliance has found."
        ),
        paragraphs=(
            "The study enrolled 11,400 families in 14 districts. Half received reminders in "
            "their own language two days before each appointment; the other half received "
            "the usual paper card.",
            "The effect was largest for the later doses in the schedule, which families most "
            "often miss. Each reminder cost less than two euro cents to send.",
        ),
        quote=(
            "This is one of the cheapest interventions we have ever tested, and one of the "
            "most effective. Health ministries can adopt it with the phones families already "
            "carry.",
            "Dr Fatou Ndiaye, principal investigator",
        ),
        closing=(
            "The study protocol and results are published on "
            f'<a href="{MERIDIAN_SITE}/research/sms-reminders">Meridian\'s research pages</a>.'
        ),
        organizations=("MHA",),
        contacts=(CLAIRE, YUSUF),
        author="Kwame Asante",
        tags=("Vaccines", "Research", "Public health"),
        days_ago=183,
        at="10:30",
        corrections=(
            (1, "This release has been updated to say the study covered 14 districts, not 16."),
        ),
    ),
    DemoRelease(
        slug="meridian-calls-for-guaranteed-funding-vaccine-cold-chains",
        headline="Meridian Health Alliance calls for guaranteed funding of vaccine cold chains",
        subheadline="A briefing for donors finds one in five rural health centres lacks a "
        "working vaccine refrigerator",
        dateline="Paris",
        summary=(
            "Meridian Health Alliance today called on donor governments to guarantee "
            "long-term funding for vaccine refrigeration, after a survey of 900 rural health "
            "centres found one in five without a working fridge."
        ),
        paragraphs=(
            "Without refrigeration, vaccines must be brought in for each session, and "
            "sessions are cancelled when transport fails. Centres without fridges vaccinated "
            "30 per cent fewer children than comparable centres with them.",
            "Meridian's briefing proposes a pooled fund to maintain and replace equipment "
            "over ten years rather than the current one-off purchases.",
        ),
        organizations=("MHA",),
        contacts=(CLAIRE,),
        author="Amélie Durand",
        tags=("Vaccines", "Funding"),
        status=REVIEW,
    ),
    DemoRelease(
        slug="meridian-to-open-regional-training-hub-nairobi",
        headline="Meridian Health Alliance to open a regional training hub in Nairobi",
        subheadline="The hub will train 1,200 nurses, midwives and health workers a year in "
        "emergency and primary care",
        dateline="Nairobi",
        summary=(
            "Meridian Health Alliance will open a regional training hub in Nairobi to train "
            "up to 1,200 nurses, midwives and community health workers a year from across "
            "East Africa."
        ),
        paragraphs=(
            "The hub includes simulation wards, a maternity skills laboratory and "
            "accommodation for 80 trainees, and will run courses in English, French and "
            "Kiswahili.",
            "Courses will be accredited with national nursing councils so that certificates "
            "count towards professional registration.",
        ),
        quote=(
            "Health workers trained close to home stay close to home. This hub is an "
            "investment in the region's own health workforce.",
            "Dr Samuel Okafor, Medical Director",
        ),
        organizations=("MHA",),
        contacts=(CLAIRE, YUSUF),
        author="Amélie Durand",
        tags=("Public health", "Partnerships"),
        days_ahead=6,
        at="08:00",
    ),
    # -- Harbour City Transport Authority --------------------------------------------
    DemoRelease(
        slug="hcta-confirms-route-western-light-rail-extension",
        headline="Route confirmed for the Western Light Rail extension",
        subheadline="Nine new stops will connect Kingsford Road to the Parramore health and "
        "education precinct",
        dateline="Sydney",
        summary=(
            "The Harbour City Transport Authority has confirmed the route of the 7.4-kilometre "
            "Western Light Rail extension, which will add nine stops between Kingsford Road and "
            "the Parramore health and education precinct."
        ),
        paragraphs=(
            "The confirmed route follows Brennan Street rather than the rail corridor, after "
            "more than 4,000 submissions during public consultation favoured stops closer to "
            "shops and the hospital.",
            "Services will run every five minutes at peak times, with a journey of 22 minutes "
            "from end to end. Early works are scheduled to begin next year.",
        ),
        quote=(
            "We listened. The community told us they wanted the light rail where people "
            "actually go, and that is where it will run.",
            "Rebecca Thornton, HCTA Chief Executive",
        ),
        closing=(
            "Maps of the route and the consultation report are available at "
            f'<a href="{HCTA_SITE}/projects/western-light-rail">hcta.example.net/projects</a>.'
        ),
        organizations=("HCTA",),
        contacts=(DANIEL,),
        author="Priya Raghunathan",
        tags=("Public transport", "Infrastructure"),
        days_ago=1013,
        at="11:00",
    ),
    DemoRelease(
        slug="hcta-contactless-bank-cards-all-buses-ferries",
        headline="Tap on with a bank card on every HCTA bus and ferry",
        subheadline="Contactless payment now works across the whole network, with daily and "
        "weekly fare caps applied automatically",
        dateline="Sydney",
        summary=(
            "Passengers can now tap on and off with a contactless bank card, phone or watch on "
            "every bus and ferry in the Harbour City network, completing a rollout that began "
            "on light rail last year."
        ),
        paragraphs=(
            "The same fares apply as with the HarbourCard, and daily and weekly caps are "
            "calculated automatically, so no one pays more for using a bank card.",
            "Contactless payments already account for 38 per cent of light rail trips. The "
            "HarbourCard remains available, including for concession fares.",
        ),
        bullets=(
            "What passengers need to know:",
            (
                "use the same card or device to tap on and tap off",
                "each person in a group needs their own card or device",
                "fare caps apply per card, from Monday to Sunday",
                "trip history is available online after registering the card",
            ),
        ),
        organizations=("HCTA",),
        contacts=(SOPHIE,),
        author="Liam O'Donoghue",
        tags=("Public transport", "Infrastructure"),
        days_ago=897,
        at="06:00",
    ),
    DemoRelease(
        slug="hcta-step-free-access-twelve-more-stations",
        headline="Step-free access completed at twelve more stations",
        subheadline="Lifts, level boarding and tactile paths now serve 80 per cent of the "
        "network's stations and wharves",
        dateline="Sydney",
        summary=(
            "The Harbour City Transport Authority has completed step-free access at twelve "
            "more stations and wharves, bringing lifts, ramps and level boarding to 80 per "
            "cent of the network."
        ),
        paragraphs=(
            "The A$186 million programme installed 19 lifts, raised platforms to meet the "
            "trains and added tactile ground indicators and hearing loops at every upgraded "
            "location.",
            "The remaining 21 stations and wharves will be upgraded over the next four years, "
            "starting with those with the most passengers.",
        ),
        bullets=(
            "Newly step-free locations include:",
            (
                "Northgate and Kingsford Road stations",
                "Caddon Point and Eastbay wharves",
                "Parramore, Millbrook and Tallow Creek stations",
            ),
        ),
        quote=(
            "For a wheelchair user, a single missing lift can make a whole line unusable. "
            "Every one of these upgrades opens up journeys that simply were not possible "
            "before.",
            "Aaron Whitlock, chair of HCTA's Accessibility Reference Group",
        ),
        closing=(
            "An up-to-date list of step-free locations is on the "
            f'<a href="{HCTA_SITE}/accessibility">accessibility page</a>.'
        ),
        organizations=("HCTA",),
        contacts=(SOPHIE, DANIEL),
        author="Liam O'Donoghue",
        tags=("Accessibility", "Public transport", "Infrastructure"),
        days_ago=762,
        at="10:00",
    ),
    DemoRelease(
        slug="hcta-network-carried-412-million-journeys",
        headline="Harbour City network carried 412 million journeys last financial year",
        subheadline="Patronage is back above pre-pandemic levels on ferries and light rail",
        dateline="Sydney",
        summary=(
            "The Harbour City public transport network carried 412 million passenger journeys "
            "in the last financial year, up 9 per cent, according to the Transport Authority's "
            "annual report."
        ),
        paragraphs=(
            "Ferry and light rail patronage both exceeded pre-pandemic levels for the first "
            "time, while bus journeys recovered to 94 per cent. On-time running improved to "
            "92.6 per cent across all modes.",
            "Operating costs rose by 4 per cent, mainly from energy and wage increases, and "
            "fare revenue covered 31 per cent of them.",
        ),
        bullets=(
            "Journeys by mode:",
            (
                "buses: 248 million",
                "light rail: 121 million",
                "ferries: 43 million",
            ),
        ),
        closing=(
            "The annual report is available at "
            f'<a href="{HCTA_SITE}/annual-report">hcta.example.net/annual-report</a>.'
        ),
        organizations=("HCTA",),
        contacts=(DANIEL,),
        author="Priya Raghunathan",
        tags=("Annual results", "Public transport"),
        days_ago=611,
        at="09:00",
    ),
    DemoRelease(
        slug="harbour-line-weekend-closure-track-upgrades",
        headline="Harbour Line to close for two weekends of track upgrades",
        subheadline="Replacement buses will run between Caddon Point and Central",
        dateline="Sydney",
        summary=(
            "The Harbour Line light rail will close for two weekends next month while "
            "crews replace worn track and points near Caddon Point."
        ),
        paragraphs=(
            "Replacement buses will run every six minutes between Caddon Point and Central, "
            "stopping near each light rail stop. Ferries will run additional services.",
            "Passengers are advised to add up to 20 minutes to their journeys.",
        ),
        organizations=("HCTA",),
        contacts=(SOPHIE,),
        author="Liam O'Donoghue",
        tags=("Public transport", "Infrastructure"),
        status=WITHDRAWN,
        days_ago=524,
        at="13:00",
        withdrawn_days_ago=523,
        withdrawal_reason=(
            "Issued with incorrect closure dates. See the corrected service notice on the "
            "HCTA website."
        ),
    ),
    DemoRelease(
        slug="hcta-orders-120-battery-electric-buses",
        headline="HCTA orders 120 battery-electric buses in its largest fleet upgrade",
        subheadline="Two depots will be converted to charge overnight, removing 9,000 tonnes "
        "of CO2 a year",
        dateline="Sydney",
        summary=(
            "The Harbour City Transport Authority has ordered 120 battery-electric buses, its "
            "largest single fleet purchase, which will replace diesel buses on 22 routes "
            "within two years."
        ),
        paragraphs=(
            "The buses have a range of 350 kilometres and will be charged overnight at the "
            "Millbrook and Eastbay depots, which will receive new grid connections and rooftop "
            "solar.",
            "Once in service, the buses will cut emissions by about 9,000 tonnes of CO2 a "
            "year and reduce noise on some of the region's busiest streets.",
        ),
        quote=(
            "Passengers tell us electric buses are quieter and smoother. Residents along the "
            "routes will notice the difference too.",
            "Rebecca Thornton, HCTA Chief Executive",
        ),
        organizations=("HCTA",),
        contacts=(DANIEL,),
        author="Priya Raghunathan",
        tags=("Public transport", "Climate", "Infrastructure"),
        days_ago=379,
        at="10:00",
    ),
    DemoRelease(
        slug="hcta-real-time-ferry-positions-open-data",
        headline="Real-time ferry positions now open to app developers",
        subheadline="A free feed in the GTFS Realtime format joins existing bus and light "
        "rail data",
        dateline="Sydney",
        summary=(
            "The Harbour City Transport Authority has opened a free real-time feed of ferry "
            "positions and arrival predictions, so journey-planning apps can show ferries as "
            "accurately as buses and light rail."
        ),
        paragraphs=(
            "The feed updates every 15 seconds using the GTFS Realtime standard used by "
            "journey planners worldwide. More than 60 apps already use HCTA's bus and light "
            "rail feeds.",
            "Developers can register for a free key on the open-data portal, which also "
            "publishes timetables, stop locations and monthly performance figures.",
        ),
        closing=(f'Register at the <a href="{HCTA_SITE}/open-data">HCTA open-data portal</a>.'),
        organizations=("HCTA",),
        contacts=(SOPHIE,),
        author="Liam O'Donoghue",
        tags=("Open data", "Public transport"),
        days_ago=212,
        at="09:00",
    ),
    DemoRelease(
        slug="hcta-national-award-accessible-wayfinding",
        headline="HCTA wins national design award for accessible wayfinding",
        subheadline="New signs, audio beacons and tactile maps were designed with passengers "
        "with disability",
        dateline="Sydney",
        summary=(
            "The Harbour City Transport Authority's station wayfinding system has won the "
            "public-sector category of the National Inclusive Design Awards."
        ),
        paragraphs=(
            "The system pairs high-contrast signs with Bluetooth audio beacons that announce "
            "exits, platforms and lifts to passengers using a free app, and with tactile maps "
            "at every entrance.",
            "It was developed over two years with 140 passengers who are blind, have low "
            "vision or have cognitive disability, who tested prototypes at three stations.",
        ),
        quote=(
            "The award belongs to the passengers who spent their weekends walking our "
            "stations with a clipboard and told us exactly what did not work.",
            "Mei Lin Zhou, HCTA Head of Customer Experience",
        ),
        organizations=("HCTA",),
        contacts=(SOPHIE,),
        author="Liam O'Donoghue",
        tags=("Awards", "Accessibility"),
        days_ago=58,
        at="17:00",
    ),
    DemoRelease(
        slug="night-bus-network-expands-to-24-routes",
        headline="Night bus network to expand to 24 routes",
        subheadline="Hourly services will reach every suburb with a night-time economy",
        dateline="Sydney",
        summary=(
            "The Harbour City night bus network will grow from 14 to 24 routes, with hourly "
            "services between midnight and 5am on every night of the week."
        ),
        paragraphs=(
            "The new routes were chosen using late-night trip data and feedback from "
            "hospitality and health workers who finish shifts after midnight.",
            "All night buses will stop on request between stops after 10pm for passengers "
            "travelling alone.",
        ),
        organizations=("HCTA",),
        contacts=(DANIEL,),
        author="Priya Raghunathan",
        tags=("Public transport", "Infrastructure"),
        status=DRAFT,
    ),
    # -- Stormpoint Renewables ----------------------------------------------------------
    DemoRelease(
        slug="stormpoint-financial-close-480mw-north-sea-wind-farm",
        headline="Stormpoint reaches financial close on 480 MW North Sea wind farm",
        subheadline="£1.4 billion financing secured for Dunmore Bank, enough to power 520,000 "
        "homes",
        dateline="London",
        summary=(
            "Stormpoint Renewables has reached financial close on the 480-megawatt Dunmore "
            "Bank offshore wind farm, securing £1.4 billion from a group of eleven banks and "
            "two pension funds."
        ),
        paragraphs=(
            "Dunmore Bank will have 32 turbines in water 35 to 50 metres deep, 70 kilometres "
            "off the coast. Offshore construction is due to start next year, with first power "
            "expected within three years.",
            "The project holds a 15-year contract for difference, which fixes the price paid "
            "for its electricity and underpins the financing.",
        ),
        quote=(
            "Financial close is the moment a wind farm stops being a plan and becomes a "
            "project. We are grateful to our lenders for their confidence.",
            "Nadia Farouk, Chief Financial Officer",
        ),
        organizations=("SPR",),
        contacts=(OLIVER,),
        author="Hannah Lindqvist",
        tags=("Offshore wind", "Renewable energy", "Funding"),
        days_ago=1038,
        at="07:00",
    ),
    DemoRelease(
        slug="stormpoint-first-grid-scale-battery-lincolnshire",
        headline="Stormpoint switches on its first grid-scale battery",
        subheadline="The 100 MW / 200 MWh battery in Lincolnshire will store surplus wind "
        "power for the evening peak",
        dateline="London",
        summary=(
            "Stormpoint Renewables has commissioned its first grid-scale battery, a 100 MW / "
            "200 MWh installation in Lincolnshire that can supply 150,000 homes for two hours."
        ),
        paragraphs=(
            "The battery charges when wind output is high and demand is low, and discharges "
            "during the early-evening peak. It will also provide fast frequency response to "
            "keep the grid stable.",
            "It was built on the site of a former coal depot next to an existing substation, "
            "which avoided the need for new overhead lines.",
        ),
        quote=(
            "Batteries are how wind power keeps working after the wind drops. This is the "
            "first of several we plan beside our wind farms.",
            "Callum Reid, Chief Operating Officer",
        ),
        organizations=("SPR",),
        contacts=(OLIVER,),
        author="Hannah Lindqvist",
        tags=("Energy storage", "Renewable energy"),
        days_ago=931,
        at="09:00",
    ),
    DemoRelease(
        slug="stormpoint-full-year-results-generation-up-27-per-cent",
        headline="Stormpoint full-year results: generation up 27 per cent",
        subheadline="Underlying profit rises to £312 million as new capacity comes online",
        dateline="London",
        summary=(
            "Stormpoint Renewables today reported a 27 per cent rise in electricity generation "
            "for the full year and underlying operating profit of £312 million, up from £241 "
            "million."
        ),
        paragraphs=(
            "Generation reached 6.8 TWh, helped by the first full year of two onshore wind "
            "farms and higher average wind speeds in the fourth quarter. Availability across "
            "the fleet was 97.1 per cent.",
            "The board proposes a final dividend of 14.2p per share and has raised its "
            "investment plan for the next five years to £4.5 billion.",
        ),
        bullets=(
            "Financial highlights:",
            (
                "revenue of £1.02 billion, up 18 per cent",
                "underlying operating profit of £312 million",
                "net debt of £1.9 billion, 3.1 times underlying earnings",
                "total dividend for the year of 21.0p per share, up 6 per cent",
            ),
        ),
        closing=(
            "The results presentation and webcast are available to investors at "
            f'<a href="{STORMPOINT_SITE}/investors">stormpoint.example.com/investors</a>.'
        ),
        organizations=("SPR",),
        contacts=(OLIVER,),
        author="Hannah Lindqvist",
        tags=("Annual results", "Renewable energy"),
        days_ago=779,
        at="07:00",
    ),
    DemoRelease(
        slug="stormpoint-enters-canada-200mw-ontario-wind",
        headline="Stormpoint enters Canada with a 200 MW Ontario wind portfolio",
        subheadline="Acquisition of three development-stage wind farms opens the company's "
        "first office outside the UK",
        dateline="Ottawa",
        summary=(
            "Stormpoint Renewables has agreed to acquire three development-stage onshore wind "
            "farms in eastern Ontario with a combined capacity of 200 MW, its first investment "
            "outside the United Kingdom."
        ),
        paragraphs=(
            "The projects have secured land agreements and grid connection studies and are "
            "expected to begin construction within two years. Stormpoint will open an office "
            "in Ottawa with an initial team of 25.",
            "The company has signed agreements with two First Nations communities for equity "
            "participation in the projects.",
        ),
        quote=(
            "Canada has excellent wind resources, stable policy and communities who want to "
            "own a share of the energy transition. It is the right first step abroad for us.",
            "Marie-Ève Tremblay, Communications Manager, North America",
        ),
        organizations=("SPR",),
        contacts=(MARIE_EVE, OLIVER),
        author="Hannah Lindqvist",
        tags=("Renewable energy", "Partnerships"),
        days_ago=663,
        at="08:00",
    ),
    DemoRelease(
        slug="stormpoint-pilots-floating-solar-former-quarry-lake",
        headline="Stormpoint pilots floating solar on a former quarry lake",
        subheadline="A 4 MW array will test how floating panels perform and affect water "
        "quality and wildlife",
        dateline="London",
        summary=(
            "Stormpoint Renewables has installed a 4 MW floating solar array on a flooded "
            "former quarry in Nottinghamshire, its first solar project and a test bed for "
            "larger installations on reservoirs."
        ),
        paragraphs=(
            "The array covers 9 per cent of the lake surface. Sensors will track panel "
            "output, water temperature, oxygen levels and algae over three years, and "
            "ecologists will survey birds and fish every season.",
            "Water cools the panels, which can raise output by up to 10 per cent compared with "
            "the same panels on land.",
        ),
        quote=(
            "Floating solar uses space that is otherwise idle, but we want to understand its "
            "effect on the water before we scale it up.",
            "Dr Eleanor Haig, Head of Environment",
        ),
        organizations=("SPR",),
        contacts=(OLIVER,),
        author="Hannah Lindqvist",
        tags=("Renewable energy", "Research", "Biodiversity"),
        days_ago=497,
        at="10:00",
    ),
    DemoRelease(
        slug="stormpoint-appoints-nadia-farouk-chief-executive",
        headline="Stormpoint Renewables appoints Nadia Farouk as Chief Executive",
        subheadline="The Chief Financial Officer succeeds co-founder James Whitcombe",
        dateline="London",
        summary=(
            "Stormpoint Renewables has appointed Nadia Farouk, its Chief Financial Officer, as "
            "Chief Executive, succeeding co-founder James Whitcombe, who will step down after "
            "fifteen years."
        ),
        paragraphs=(
            "Ms Farouk joined Stormpoint six years ago and led the financing of the Dunmore "
            "Bank offshore wind farm and the company's entry into Canada.",
            "Mr Whitcombe will remain an adviser to the board for twelve months to ensure an "
            "orderly handover. A search for a new Chief Financial Officer is under way.",
        ),
        quote=(
            "James built a company that delivers what it promises. My job is to make it "
            "bigger without losing that.",
            "Nadia Farouk",
        ),
        organizations=("SPR",),
        contacts=(OLIVER,),
        author="Hannah Lindqvist",
        tags=("Appointments", "Renewable energy"),
        days_ago=302,
        at="07:00",
    ),
    DemoRelease(
        slug="dunmore-bank-offshore-wind-farm-first-power",
        headline="Dunmore Bank offshore wind farm delivers first power",
        subheadline="The first of 32 turbines is exporting electricity to the grid, ahead of "
        "schedule",
        dateline="London",
        summary=(
            "The Dunmore Bank offshore wind farm has exported its first electricity to the "
            "grid, three months ahead of schedule, Stormpoint Renewables announced today."
        ),
        paragraphs=(
            "Twelve of the project's 32 turbines are now installed, and the remainder will be "
            "installed through the summer. Full commercial operation is expected by the end "
            "of the year.",
            "The wind farm's operations and maintenance base in the port of Eastwick employs "
            "110 people, most of them recruited locally.",
        ),
        quote=(
            "First power is the best day in a wind farm's life. Thank you to the 1,500 people "
            "who have worked offshore in all weathers to get us here.",
            "Nadia Farouk, Chief Executive",
        ),
        closing=(
            "Photographs and b-roll of the installation are in the "
            f'<a href="{STORMPOINT_SITE}/media/dunmore-bank">media library</a>.'
        ),
        organizations=("SPR",),
        contacts=(OLIVER,),
        author="Hannah Lindqvist",
        tags=("Offshore wind", "Renewable energy"),
        days_ago=139,
        at="08:30",
    ),
    DemoRelease(
        slug="stormpoint-half-year-results",
        headline="Stormpoint half-year results: record output from Dunmore Bank",
        subheadline="Generation rises 41 per cent; full-year guidance raised",
        dateline="London",
        summary=(
            "Stormpoint Renewables today reported a 41 per cent rise in first-half generation, "
            "driven by the first months of full operation at Dunmore Bank, and raised its "
            "guidance for the full year."
        ),
        paragraphs=(
            "Generation reached 4.2 TWh in the six months. Underlying operating profit rose to "
            "£198 million, and the company now expects full-year underlying operating profit "
            "of £390 to £410 million.",
            "The board declared an interim dividend of 7.6p per share, up 8 per cent.",
        ),
        closing=(
            "Results materials will be published at "
            f'<a href="{STORMPOINT_SITE}/investors">stormpoint.example.com/investors</a> at '
            "7am."
        ),
        organizations=("SPR",),
        contacts=(OLIVER,),
        author="Hannah Lindqvist",
        tags=("Annual results", "Offshore wind", "Renewable energy"),
        days_ahead=12,
        at="07:00",
    ),
    DemoRelease(
        slug="stormpoint-15-year-power-purchase-agreement-water-utility",
        headline="Stormpoint signs 15-year power purchase agreement with regional water utility",
        subheadline="The agreement covers 180 GWh a year from onshore wind, a third of the "
        "utility's electricity use",
        dateline="London",
        summary=(
            "Stormpoint Renewables has signed a 15-year power purchase agreement to supply "
            "180 GWh of wind power a year to a regional water utility, covering about a third "
            "of its electricity use."
        ),
        paragraphs=(
            "Electricity will come from two onshore wind farms in the north of England at a "
            "fixed price, protecting the utility and its customers from wholesale price "
            "swings.",
            "It is Stormpoint's largest corporate agreement to date.",
        ),
        organizations=("SPR",),
        contacts=(OLIVER,),
        author="Hannah Lindqvist",
        tags=("Renewable energy", "Partnerships"),
        status=REVIEW,
    ),
    # -- Whitfield University -----------------------------------------------------------
    DemoRelease(
        slug="whitfield-25-million-gift-center-for-energy-systems",
        headline="$25 million gift founds Whitfield University's Center for Energy Systems",
        subheadline="The center will bring engineers, economists and policy scholars together "
        "to study the power grid of the future",
        dateline="Washington",
        summary=(
            "Whitfield University has received a $25 million gift from alumni Robert and "
            "Diane Castellano to found a Center for Energy Systems, the largest gift in the "
            "history of its School of Engineering."
        ),
        paragraphs=(
            "The center will fund eight new faculty positions, 40 doctoral fellowships and a "
            "grid simulation laboratory where researchers can test how power networks behave "
            "with high shares of wind, solar and storage.",
            "Its research will be shared openly with utilities and regulators through an "
            "annual report and public workshops.",
        ),
        quote=(
            "The hardest problems in energy now sit between disciplines. This center is "
            "built to work in that space.",
            "Dr Priyanka Das, Dean of the School of Engineering",
        ),
        closing=(
            "More about the center is at "
            f'<a href="{WHITFIELD_SITE}/energy-systems">whitfield.example.org/energy-systems'
            "</a>."
        ),
        organizations=("WU",),
        contacts=(JORDAN,),
        author="Marcus Ellery",
        tags=("Higher education", "Funding", "Renewable energy"),
        days_ago=1084,
        at="10:00",
    ),
    DemoRelease(
        slug="whitfield-sodium-ion-battery-5000-cycles",
        headline="Whitfield engineers build a sodium-ion battery that survives 5,000 cycles",
        subheadline="A new electrode coating keeps 90 per cent of capacity after years of "
        "daily charging",
        dateline="Washington",
        summary=(
            "Engineers at Whitfield University have developed a sodium-ion battery cell that "
            "keeps 90 per cent of its capacity after 5,000 charge cycles, a step towards "
            "cheaper grid storage without lithium or cobalt."
        ),
        paragraphs=(
            "The team coated the cell's cathode with a layer of aluminium oxide a few "
            "nanometres thick, which stops the material cracking as sodium ions move in and "
            "out.",
            "Sodium is abundant and cheap, but sodium-ion cells have until now worn out too "
            "quickly for grid batteries that charge and discharge every day.",
        ),
        quote=(
            "Five thousand cycles is more than thirteen years of daily use. That is the "
            "threshold where sodium starts to make economic sense for the grid.",
            "Dr Kenji Mori, professor of materials science",
        ),
        organizations=("WU",),
        contacts=(TERESA,),
        author="Marcus Ellery",
        tags=("Energy storage", "Research"),
        days_ago=966,
        at="11:00",
    ),
    DemoRelease(
        slug="whitfield-free-online-course-public-health-data",
        headline="Whitfield launches a free online course in public-health data",
        subheadline="Six weeks of lessons teach health workers to collect, analyse and "
        "present data responsibly",
        dateline="Washington",
        summary=(
            "Whitfield University's School of Public Health has launched a free six-week "
            "online course that teaches health workers and students how to collect, analyse "
            "and present health data."
        ),
        paragraphs=(
            "The course uses real, anonymized datasets and free software, and is designed "
            "for learners with no programming experience. Lessons are available with "
            "subtitles in English, French, Spanish and Portuguese.",
            "Learners who complete the assessments receive a certificate at no cost.",
        ),
        bullets=(
            "The course covers:",
            (
                "designing surveys and avoiding bias",
                "cleaning and describing data",
                "charts that tell the truth",
                "protecting patients' privacy",
            ),
        ),
        closing=(
            f'Enrolment is open at <a href="{WHITFIELD_SITE}/health-data-course">'
            "whitfield.example.org/health-data-course</a>."
        ),
        organizations=("WU",),
        contacts=(JORDAN,),
        author="Marcus Ellery",
        tags=("Higher education", "Public health", "Open data"),
        days_ago=843,
        at="09:00",
    ),
    DemoRelease(
        slug="whitfield-researchers-map-urban-heat-islands-40-cities",
        headline="Whitfield researchers map urban heat islands in 40 US cities",
        subheadline="Neighborhoods with the least tree cover are up to 7°C hotter on summer "
        "afternoons",
        dateline="Washington",
        summary=(
            "A Whitfield University study has mapped summer temperatures street by street in "
            "40 US cities and found that neighborhoods with the least tree cover are up to 7°C "
            "hotter than leafier areas nearby."
        ),
        paragraphs=(
            "The researchers combined satellite data with readings from 1,600 volunteer-run "
            "sensors. The hottest neighborhoods were also those with the lowest household "
            "incomes in 34 of the 40 cities.",
            "The maps are published as open data so that city governments can target tree "
            "planting and cooling centers where they are needed most.",
        ),
        quote=(
            "Heat is the deadliest weather hazard in the United States, and it is not shared "
            "equally. These maps show exactly which blocks need shade first.",
            "Dr Alicia Romero, associate professor of environmental science",
        ),
        closing=(
            f'The maps can be explored at <a href="{WHITFIELD_SITE}/heat-maps">'
            "whitfield.example.org/heat-maps</a>."
        ),
        organizations=("WU",),
        contacts=(TERESA,),
        author="Marcus Ellery",
        tags=("Climate", "Research", "Open data"),
        days_ago=718,
        at="12:00",
    ),
    DemoRelease(
        slug="whitfield-names-dr-elena-marquez-president",
        headline="Whitfield University names Dr Elena Marquez its 14th president",
        subheadline="The epidemiologist and provost is the first woman to lead the university",
        dateline="Washington",
        summary=(
            "Whitfield University's Board of Trustees has unanimously elected Dr Elena "
            "Marquez, the university's provost and an epidemiologist, as its 14th president."
        ),
        paragraphs=(
            "Dr Marquez has served as provost for five years, during which the university "
            "expanded need-based financial aid and opened its School of Public Health. She "
            "joined Whitfield's faculty 18 years ago.",
            "She will take office on the first of next month, succeeding President Charles "
            "Whitaker, who is retiring.",
        ),
        quote=(
            "Whitfield's promise is simple: research that serves the public, and an education "
            "open to every talented student. I intend to keep both.",
            "Dr Elena Marquez",
        ),
        organizations=("WU",),
        contacts=(JORDAN,),
        author="Marcus Ellery",
        tags=("Appointments", "Higher education"),
        days_ago=587,
        at="15:00",
    ),
    DemoRelease(
        slug="whitfield-study-commuters-switch-to-rail-lower-stress",
        headline="Commuters who switch from driving to rail report less stress, study finds",
        subheadline="Whitfield researchers followed 2,100 commuters for two years",
        dateline="Washington",
        summary=(
            "Commuters who switched from driving to rail reported significantly lower stress "
            "and better sleep a year later, according to a Whitfield University study that "
            "followed 2,100 people for two years."
        ),
        paragraphs=(
            "The effect held even when rail journeys took longer than the drive they "
            "replaced. Participants most often cited predictability and the ability to read "
            "or rest as the reasons.",
            "The researchers adjusted for changes in income, job and home, and found the "
            "largest benefits among commuters who had previously driven more than 45 minutes "
            "each way.",
        ),
        quote=(
            "Transport planners count minutes. Our results suggest they should also count "
            "how those minutes feel.",
            "Dr Michael Osei, assistant professor of public health",
        ),
        organizations=("WU",),
        contacts=(TERESA,),
        author="Marcus Ellery",
        tags=("Public transport", "Public health", "Research"),
        days_ago=402,
        at="10:00",
    ),
    DemoRelease(
        slug="whitfield-opens-first-net-zero-residence-hall",
        headline="Whitfield University opens its first net-zero residence hall",
        subheadline="Lindell Hall houses 420 students and produces as much energy as it uses "
        "over a year",
        dateline="Washington",
        summary=(
            "Whitfield University has opened Lindell Hall, a 420-bed residence hall designed "
            "to produce as much energy as it uses over a year, the first net-zero building on "
            "its campus."
        ),
        paragraphs=(
            "The building is heated and cooled by geothermal heat pumps and topped with 1,100 "
            "solar panels. Triple-glazed windows and a heavily insulated timber frame cut its "
            "energy demand by two thirds compared with the university's other halls.",
            "Students can see the building's energy use in real time on screens in each "
            "lobby, and a student team will help run an energy-saving competition between "
            "floors.",
        ),
        bullets=(
            "Lindell Hall at a glance:",
            (
                "420 beds in suites of four and six",
                "1,100 rooftop solar panels generating about 560 MWh a year",
                "48 geothermal wells, 150 meters deep",
                "mass timber structure storing an estimated 2,400 tonnes of CO2",
            ),
        ),
        organizations=("WU",),
        contacts=(JORDAN,),
        author="Marcus Ellery",
        tags=("Climate", "Higher education", "Renewable energy"),
        days_ago=88,
        at="09:00",
    ),
    DemoRelease(
        slug="whitfield-need-blind-admissions-international-students",
        headline="Whitfield University to extend need-blind admissions to international students",
        subheadline="From next year, no applicant's ability to pay will affect the admissions "
        "decision",
        dateline="Washington",
        summary=(
            "Whitfield University will admit international undergraduates without regard to "
            "their ability to pay from next year, and will meet the full demonstrated "
            "financial need of every admitted student."
        ),
        paragraphs=(
            "The change is funded by a new $120 million endowment for financial aid raised "
            "over the past three years.",
            "International students currently make up 9 per cent of Whitfield's undergraduates.",
        ),
        organizations=("WU",),
        contacts=(JORDAN,),
        author="Marcus Ellery",
        tags=("Higher education", "Funding"),
        status=DRAFT,
    ),
    DemoRelease(
        slug="microplastics-found-in-94-per-cent-of-urban-stream-samples",
        headline="Microplastics found in 94 per cent of urban stream samples",
        subheadline="Whitfield researchers tested 480 samples from streams in six cities; tyre "
        "particles were the most common",
        dateline="Washington",
        summary=(
            "Microplastic particles were present in 94 per cent of water samples taken from "
            "urban streams in six US cities, according to Whitfield University research to be "
            "published this week."
        ),
        paragraphs=(
            "Fragments of vehicle tyres made up 46 per cent of particles identified, followed "
            "by synthetic fibres from clothing. Concentrations peaked after the first heavy "
            "rain following a dry spell.",
            "The researchers say roadside rain gardens and street sweeping could capture a "
            "large share of the particles before they reach streams.",
        ),
        quote=(
            "We expected plastic bags and bottles. What we found was mostly the road itself, "
            "washing off with every storm.",
            "Dr Hannah Kowalczyk, assistant professor of civil and environmental engineering",
        ),
        organizations=("WU",),
        contacts=(TERESA, JORDAN),
        author="Marcus Ellery",
        tags=("Research", "Biodiversity", "Public health"),
        days_ago=1,
        at="11:00",
        embargo_days_ahead=1,
        embargo_at="15:00",
    ),
)
