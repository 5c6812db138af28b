"""The locales texts are written for: country name, city table and money style of each.

Faker's own city lists are fine for some locales but invent placenames or use the local script for
others; where that happens, ``cities`` lists real (city, state) pairs so that LOCATION spans look like
what case files contain. ``money`` keys the currency formats in ``devset.money_amounts``.
"""

from __future__ import annotations

from dataclasses import dataclass

CityTable = tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class LocaleProfile:
    """What the generator needs to know about one Faker locale."""

    code: str
    country: str                      # English name, with "the " where English uses it
    # (city, state-or-None); None means: use Faker's city() (real names in these locales)
    cities: CityTable | None = None
    money: str = "eur_dot"


def _city_table(*pairs: str) -> CityTable:
    """Parse "City|State" (or a bare "City") entries, so the tables below stay one line per city group."""
    out: list[tuple[str, str | None]] = []
    for p in pairs:
        if "|" in p:
            c, s = p.split("|")
            out.append((c, s))
        else:
            out.append((p, None))
    return tuple(out)


LOCALES: dict[str, LocaleProfile] = {
    "en_US": LocaleProfile("en_US", "the United States", _city_table(
        "Houston|TX", "Dallas|TX", "San Antonio|TX", "El Paso|TX", "McAllen|TX", "Laredo|TX",
        "Atlanta|GA", "Savannah|GA", "Miami|FL", "Orlando|FL", "Tampa|FL", "Jacksonville|FL",
        "Las Vegas|NV", "Phoenix|AZ", "Tucson|AZ", "Los Angeles|CA", "San Jose|CA", "Fresno|CA",
        "Sacramento|CA", "Seattle|WA", "Yakima|WA", "Portland|OR", "Denver|CO", "Chicago|IL",
        "Detroit|MI", "Columbus|OH", "Toledo|OH", "Charlotte|NC", "Raleigh|NC", "Richmond|VA",
        "Newark|NJ", "Baltimore|MD", "Brooklyn|NY", "Flushing|NY", "Boston|MA", "Nashville|TN",
        "Memphis|TN", "New Orleans|LA", "Oklahoma City|OK", "Albuquerque|NM", "Salt Lake City|UT",
        "Minneapolis|MN", "Milwaukee|WI", "Kansas City|MO", "Indianapolis|IN", "Louisville|KY",
        "Birmingham|AL", "Omaha|NE", "Des Moines|IA"), "usd"),
    "en_GB": LocaleProfile("en_GB", "the United Kingdom", _city_table(
        "London", "Manchester", "Birmingham", "Leeds", "Bradford", "Sheffield", "Liverpool",
        "Bristol", "Nottingham", "Leicester", "Coventry", "Peterborough", "Luton", "Slough",
        "Southampton", "Glasgow", "Edinburgh", "Aberdeen", "Cardiff", "Newport", "Swansea",
        "Belfast", "Derby", "Stoke-on-Trent", "Hull", "Wisbech", "King's Lynn", "Norwich",
        "Ipswich", "Reading", "Oxford", "Cambridge", "Blackpool", "Bolton", "Rochdale",
        "Middlesbrough", "Sunderland", "Newcastle", "Spalding", "Boston"), "gbp"),
    "en_CA": LocaleProfile("en_CA", "Canada", _city_table(
        "Toronto|ON", "Mississauga|ON", "Brampton|ON", "Hamilton|ON", "Ottawa|ON", "Windsor|ON",
        "London|ON", "Niagara Falls|ON", "Montreal|QC", "Laval|QC", "Gatineau|QC", "Winnipeg|MB",
        "Calgary|AB", "Edmonton|AB", "Vancouver|BC", "Surrey|BC", "Richmond|BC", "Halifax|NS",
        "Regina|SK", "Saskatoon|SK", "Moncton|NB"), "cad"),
    "en_AU": LocaleProfile("en_AU", "Australia", _city_table(
        "Sydney|NSW", "Parramatta|NSW", "Griffith|NSW", "Wollongong|NSW", "Melbourne|VIC",
        "Geelong|VIC", "Mildura|VIC", "Shepparton|VIC", "Brisbane|QLD", "Gold Coast|QLD",
        "Cairns|QLD", "Bundaberg|QLD", "Perth|WA", "Bunbury|WA", "Adelaide|SA", "Hobart|TAS",
        "Darwin|NT", "Canberra|ACT"), "aud"),
    "en_IE": LocaleProfile("en_IE", "Ireland", _city_table(
        "Dublin", "Cork", "Limerick", "Galway", "Waterford", "Drogheda", "Dundalk", "Swords",
        "Navan", "Kilkenny", "Athlone", "Sligo", "Letterkenny", "Tralee", "Ennis", "Carlow"),
        "eur_ie"),
    "en_IN": LocaleProfile("en_IN", "India", _city_table(
        "Mumbai|Maharashtra", "Pune|Maharashtra", "Nagpur|Maharashtra", "Kolkata|West Bengal",
        "Siliguri|West Bengal", "Chennai|Tamil Nadu", "Hyderabad|Telangana", "Bengaluru|Karnataka",
        "Jaipur|Rajasthan", "Lucknow|Uttar Pradesh", "Patna|Bihar", "Ranchi|Jharkhand",
        "Surat|Gujarat", "Bhopal|Madhya Pradesh", "Delhi", "Guwahati|Assam"), "inr"),
    "en_PH": LocaleProfile("en_PH", "the Philippines", _city_table(
        "Manila", "Quezon City", "Makati", "Pasay", "Cebu City", "Davao City", "Angeles City",
        "Olongapo", "Zamboanga City", "Iloilo City", "Bacolod", "Cagayan de Oro", "Tacloban",
        "Baguio", "General Santos"), "php"),
    "fr_FR": LocaleProfile("fr_FR", "France", _city_table(
        "Paris", "Marseille", "Lyon", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier",
        "Bordeaux", "Lille", "Rennes", "Reims", "Le Havre", "Saint-Étienne", "Toulon", "Grenoble",
        "Dijon", "Angers", "Nîmes", "Villeurbanne", "Saint-Denis", "Perpignan", "Calais", "Rouen",
        "Metz", "Mulhouse", "Roubaix"), "eur_fr"),
    "fr_CH": LocaleProfile("fr_CH", "Switzerland", _city_table(
        "Genève", "Lausanne", "Fribourg", "Neuchâtel", "Sion", "Montreux", "Yverdon-les-Bains",
        "La Chaux-de-Fonds", "Nyon", "Vevey", "Bienne", "Martigny"), "chf"),
    "de_DE": LocaleProfile("de_DE", "Germany", None, "eur_de"),
    "de_CH": LocaleProfile("de_CH", "Switzerland", None, "chf"),
    "de_AT": LocaleProfile("de_AT", "Austria", None, "eur_de"),
    "it_IT": LocaleProfile("it_IT", "Italy", None, "eur_it"),
    "es_ES": LocaleProfile("es_ES", "Spain", None, "eur_it"),
    "es_MX": LocaleProfile("es_MX", "Mexico", _city_table(
        "Ciudad de México", "Guadalajara|Jalisco", "Monterrey|Nuevo León", "Puebla|Puebla",
        "Tijuana|Baja California", "León|Guanajuato", "Ciudad Juárez|Chihuahua",
        "Cancún|Quintana Roo", "Tapachula|Chiapas", "Oaxaca|Oaxaca", "Acapulco|Guerrero",
        "Mérida|Yucatán", "Veracruz|Veracruz", "Culiacán|Sinaloa", "Tlaxcala|Tlaxcala",
        "Querétaro|Querétaro", "Tenancingo|Tlaxcala"), "mxn"),
    "pt_BR": LocaleProfile("pt_BR", "Brazil", _city_table(
        "São Paulo|SP", "Campinas|SP", "Rio de Janeiro|RJ", "Belo Horizonte|MG", "Salvador|BA",
        "Fortaleza|CE", "Recife|PE", "Manaus|AM", "Belém|PA", "Goiânia|GO", "Curitiba|PR",
        "Foz do Iguaçu|PR", "Porto Alegre|RS", "Natal|RN", "São Luís|MA"), "brl"),
    "pt_PT": LocaleProfile("pt_PT", "Portugal", None, "eur_it"),
    "nl_NL": LocaleProfile("nl_NL", "the Netherlands", None, "eur_nl"),
    "nl_BE": LocaleProfile("nl_BE", "Belgium", None, "eur_nl"),
    "pl_PL": LocaleProfile("pl_PL", "Poland", None, "pln"),
    "ro_RO": LocaleProfile("ro_RO", "Romania", None, "ron"),
    "bg_BG": LocaleProfile("bg_BG", "Bulgaria", _city_table(
        "Sofia", "Plovdiv", "Varna", "Burgas", "Ruse", "Stara Zagora", "Pleven", "Sliven",
        "Dobrich", "Shumen", "Pazardzhik", "Haskovo", "Yambol", "Blagoevgrad", "Kyustendil",
        "Montana", "Vidin"), "bgn"),
    "cs_CZ": LocaleProfile("cs_CZ", "the Czech Republic", None, "czk"),
    "hu_HU": LocaleProfile("hu_HU", "Hungary", _city_table(
        "Budapest", "Debrecen", "Szeged", "Miskolc", "Pécs", "Győr", "Nyíregyháza", "Kecskemét",
        "Székesfehérvár", "Szombathely", "Szolnok", "Tatabánya", "Sopron", "Eger", "Ózd"), "huf"),
    "el_GR": LocaleProfile("el_GR", "Greece", _city_table(
        "Athens", "Thessaloniki", "Patras", "Piraeus", "Larissa", "Heraklion", "Volos",
        "Ioannina", "Kavala", "Chania", "Rhodes", "Corinth", "Alexandroupoli", "Kalamata",
        "Manolada"), "eur_gr"),
    "tr_TR": LocaleProfile("tr_TR", "Turkey", _city_table(
        "Istanbul", "Ankara", "İzmir", "Antalya", "Bursa", "Adana", "Mersin", "Gaziantep",
        "Konya", "Trabzon", "Edirne", "Bodrum", "Şanlıurfa", "Kayseri", "Samsun"), "try"),
    "sv_SE": LocaleProfile("sv_SE", "Sweden", None, "sek"),
    "da_DK": LocaleProfile("da_DK", "Denmark", None, "dkk"),
    "fi_FI": LocaleProfile("fi_FI", "Finland", None, "eur_fr"),
    "vi_VN": LocaleProfile("vi_VN", "Vietnam", _city_table(
        "Hanoi", "Hà Nội", "Ho Chi Minh City", "Hải Phòng", "Hai Phong", "Da Nang", "Đà Nẵng",
        "Vinh", "Hà Tĩnh", "Thanh Hóa", "Huế", "Cần Thơ", "Nha Trang", "Nghệ An"), "vnd"),
    "sk_SK": LocaleProfile("sk_SK", "Slovakia", None, "eur_fr"),
    "hr_HR": LocaleProfile("hr_HR", "Croatia", None, "eur_de"),
}


# en_GB and en_US texts are drawn three times as often as each other locale.
LOCALE_WEIGHTS: dict[str, int] = {code: (3 if code in ("en_GB", "en_US") else 1) for code in LOCALES}

# Where victims are said to come from ({OCOUNTRY}); independent of the text's locale.
ORIGIN_COUNTRIES: tuple[str, ...] = (
    "Nigeria", "Albania", "Vietnam", "Romania", "Ukraine", "Moldova", "Eritrea", "Bulgaria",
    "the Philippines", "Thailand", "Honduras", "Guatemala", "China", "Brazil", "Poland", "Morocco",
    "Sudan", "Ghana", "Venezuela", "Nepal", "India", "Bangladesh", "Sri Lanka", "Paraguay",
    "Colombia", "Slovakia", "Hungary", "Uganda", "Kenya", "Sierra Leone",
)
