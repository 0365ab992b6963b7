"""Dutch text pools for the demo region: sectors, fictional company names, leerbaan texts and
candidate backgrounds. Data only; the generator modules pick from these with a seeded RNG.

Company names are invented (a sector word plus an invented place-like word or a common Dutch
surname); every generated record is also flagged ``is_demo``, which the UI shows as a badge.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    """A sector of the demo economy.

    ``sectorkamers`` are SBB sectorkamer codes (shared/data/SOURCES.md §3) whose current BBL
    kwalificaties fit; ``keywords`` (lower case) narrow them to names containing one of them.
    ``weight`` is the sector's share of werkgevers.
    """

    key: str
    label: str
    sectorkamers: tuple[str, ...]
    keywords: tuple[str, ...]
    weight: int
    company_patterns: tuple[str, ...]
    intro: tuple[str, ...]
    experience: tuple[str, ...]


# ``{f}`` is an invented place-like word from FRAGMENTS, ``{n}`` a Faker nl_NL surname.
FRAGMENTS = (
    "Vechtoever",
    "Rijnzicht",
    "Lindehof",
    "Wilgenhof",
    "Dijkzicht",
    "Beukenrode",
    "Hofstede",
    "Polderweide",
    "Zonnehoek",
    "Molenvaart",
    "Grachtzicht",
    "Heuvelzoom",
    "Bloesemhof",
    "Torenzicht",
    "Vaartkant",
    "Meanderwaard",
    "Kastanjehof",
    "Lekkant",
    "Weidevenster",
    "Sluiswachter",
    "Bremhorst",
    "Eikenwaard",
    "Lindeveld",
    "Rietkraag",
)

SECTORS = (
    Sector(
        key="zorg",
        label="Zorg en welzijn",
        sectorkamers=("03",),
        keywords=(
            "zorg",
            "verzorg",
            "verpleeg",
            "pedagog",
            "welzijn",
            "sociaal",
            "maatschappelijk",
            "kinder",
            "dienstverlen",
            "begeleider",
            "helpende",
            "apothekers",
            "doktersassist",
            "tandartsassist",
            "gehandicapt",
            "onderwijsassist",
            "agogisch",
        ),
        weight=30,
        company_patterns=(
            "Zorggroep {f}",
            "Thuiszorg {f}",
            "Kinderopvang {f}",
            "Stichting Welzijn {f}",
            "Woonzorgcentrum {f}",
            "Huisartsenpraktijk {n}",
        ),
        intro=(
            "Je werkt in een klein, hecht team en krijgt een vaste werkbegeleider.",
            "Onze cliënten wonen zo lang mogelijk zelfstandig; jij helpt ze daarbij.",
            "Bij ons staat de cliënt centraal en leer je het vak in de praktijk.",
        ),
        experience=(
            "Jarenlang mantelzorger voor een ouder met dementie.",
            "Vrijwilliger bij het buurthuis: koffieochtenden en activiteiten voor ouderen.",
            "Twee jaar huishoudelijke hulp in de thuiszorg.",
            "Oppas en overblijfmoeder op de basisschool van de kinderen.",
            "Gastouder geweest voor drie gezinnen.",
        ),
    ),
    Sector(
        key="techniek",
        label="Techniek en bouw",
        sectorkamers=("01",),
        keywords=(
            "install",
            "elektr",
            "monteur",
            "timmer",
            "metselaar",
            "tegelzetter",
            "schilder",
            "werktuig",
            "lasser",
            "mechatron",
            "onderhoud",
            "servicemedewerker",
            "dakdekker",
        ),
        weight=20,
        company_patterns=(
            "Installatietechniek {f} B.V.",
            "Bouwbedrijf {n}",
            "{f} Elektrotechniek",
            "Onderhoudsbedrijf {n} & Zn.",
            "Schildersbedrijf {n}",
            "Metaalbewerking {f} B.V.",
        ),
        intro=(
            "Je draait mee met een ervaren monteur en werkt bij klanten in de regio.",
            "Veiligheid staat voorop: je haalt bij ons ook je VCA-diploma.",
            "Ons bedrijf groeit en we leiden graag onze eigen vakmensen op.",
        ),
        experience=(
            "Klusser in eigen huis en bij vrienden: tegels, laminaat, kleine verbouwingen.",
            "Vijf jaar productiemedewerker in een metaalfabriek.",
            "Hulpmonteur bij een installateur via een uitzendbureau.",
            "Technische dienst bij een sportclub als vrijwilliger.",
        ),
    ),
    Sector(
        key="logistiek",
        label="Logistiek en transport",
        sectorkamers=("02",),
        keywords=("logistiek", "chauffeur", "transport", "magazijn", "expeditie", "planner"),
        weight=12,
        company_patterns=(
            "{f} Logistiek B.V.",
            "Transportbedrijf {n}",
            "Distributiecentrum {f}",
            "Koeriersdienst {f}",
        ),
        intro=(
            "Je werkt in ons distributiecentrum in dag- of middagdienst.",
            "Je leert alles over voorraadbeheer, orderpicken en expeditie.",
        ),
        experience=(
            "Orderpicker via een uitzendbureau, heftruckcertificaat gehaald.",
            "Bezorger voor een pakketdienst.",
            "Magazijnmedewerker in een bouwmarkt.",
        ),
    ),
    Sector(
        key="horeca",
        label="Horeca en voeding",
        sectorkamers=("06",),
        keywords=("kok", "gastheer", "horeca", "bakker", "fastservice", "bediening", "patissier"),
        weight=13,
        company_patterns=(
            "Restaurant {f}",
            "Hotel {f}",
            "Brasserie {f}",
            "Bakkerij {n}",
            "Eetcafé {f}",
        ),
        intro=(
            "Je werkt in onze keuken met verse, seizoensgebonden producten.",
            "Gastvrijheid is ons vak: je leert alles van bediening tot bar.",
            "Vroeg beginnen, vakwerk leveren: bij ons leer je het ambacht.",
        ),
        experience=(
            "Bijbaan in de bediening van een strandpaviljoen.",
            "Afwasser en hulpkok in een restaurant.",
            "Kookt graag en veel; vrijwilliger bij de voedselbank.",
        ),
    ),
    Sector(
        key="handel",
        label="Handel en retail",
        sectorkamers=("04",),
        keywords=("verko", "retail", "commercieel", "ondernemer", "contactcenter", "medewerker"),
        weight=15,
        company_patterns=(
            "{f} Retail B.V.",
            "Bouwmarkt {f}",
            "Supermarkt {f}",
            "Fietsenhandel {n}",
            "Woonwinkel {f}",
        ),
        intro=(
            "Je helpt klanten in de winkel en leert alles over assortiment en presentatie.",
            "Je werkt in een enthousiast team in een drukke winkel in het centrum.",
        ),
        experience=(
            "Vakkenvuller en caissière in een supermarkt.",
            "Verkoopmedewerker in een kledingwinkel.",
            "Klantenservice bij een webwinkel.",
        ),
    ),
    Sector(
        key="ict",
        label="ICT en media",
        sectorkamers=("05",),
        keywords=("ict", "applicatie", "netwerk", "developer", "beheer"),
        weight=10,
        company_patterns=("{f} IT-diensten B.V.", "{f} Digital", "Softwarehuis {f}"),
        intro=(
            "Je werkt mee aan de systemen van onze klanten, met een senior als buddy.",
            "Je lost storingen op en helpt gebruikers op weg.",
        ),
        experience=(
            "Zelf computers gebouwd; helpt familie en buren met hun laptop en wifi.",
            "Servicedesk-medewerker bij een callcenter.",
            "Beheerde het netwerk van de voetbalvereniging als vrijwilliger.",
        ),
    ),
)

# Leerbaan titles: ``{k}`` the kwalificatie name.
TITLE_PATTERNS = (
    "{k} (BBL)",
    "Leerwerkplek {k}",
    "{k} in opleiding",
    "BBL-leerbaan {k}",
    "Leren en werken: {k}",
)

LEERBAAN_OUTRO = (
    "Je werkt {hours} uur per week bij {bedrijf} in {plaats} en gaat ongeveer één dag per week "
    "naar school. Je praktijkopleider begeleidt je."
)

EARLIER_EDUCATION = (
    "vmbo-basis (afgerond)",
    "vmbo-kader, richting Zorg en welzijn",
    "vmbo-tl (afgerond)",
    "havo, niet afgerond",
    "mbo-2 Helpende zorg en welzijn (niet afgerond)",
    "mbo-1 Entree (afgerond)",
    "Middelbare school in het buitenland; NT2 op niveau B1",
    "mbo-4 Marketing en communicatie (afgerond), nu op zoek naar een ander vak",
    "Geen diploma; wel veel cursussen via het werk",
)

GENERAL_EXPERIENCE = (
    "Productiemedewerker in een fabriek.",
    "Schoonmaker in kantoren, vroege diensten.",
    "Medewerker callcenter.",
    "Zzp'er als klusjesman.",
    "Heeft na een lange periode zonder werk vrijwilligerswerk gedaan bij de kringloopwinkel.",
)
