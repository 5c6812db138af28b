"""Organisations: companies, named businesses, agencies, NGOs, advert websites and banks.

Annotation rules (data/eval/ANNOTATION.md): named businesses, agencies, NGOs and advert websites
written as brands are ORGANIZATION, and a leading "the" is outside the span. The business patterns
are the kinds of workplace trafficking cases name (nail bars, car washes, farms, agencies, ...), so
that a finder meets the cue nouns it has to learn, not only Faker's "Smith, Jones and Brown".
"""

from __future__ import annotations

import re

from devset.render_context import Segment, TextContext
from devset.transliteration import transliterate_to_latin

LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "en_US": ("LLC", "Inc.", "Corp."), "en_GB": ("Ltd", "Ltd.", "Limited"), "en_CA": ("Inc.", "Ltd."),
    "en_AU": ("Pty Ltd",), "en_IE": ("Ltd", "Limited"), "en_IN": ("Pvt. Ltd.",), "en_PH": ("Inc.", "Corp."),
    "fr_FR": ("SARL", "SAS"), "fr_CH": ("Sàrl", "SA"), "de_DE": ("GmbH", "UG"), "de_CH": ("GmbH", "AG"),
    "de_AT": ("GmbH", "KG"), "it_IT": ("S.r.l.", "s.r.l."), "es_ES": ("S.L.", "S.A."),
    "es_MX": ("S.A. de C.V.",), "pt_BR": ("Ltda.",), "pt_PT": ("Lda.", "Unipessoal Lda."),
    "nl_NL": ("B.V.", "BV"), "nl_BE": ("BV", "BVBA"), "pl_PL": ("Sp. z o.o.",), "ro_RO": ("SRL", "S.R.L."),
    "bg_BG": ("EOOD", "OOD"), "cs_CZ": ("s.r.o.",), "hu_HU": ("Kft.", "Bt."), "el_GR": ("E.P.E.", "I.K.E."),
    "tr_TR": ("Ltd. Şti.",), "sv_SE": ("AB", "HB"), "da_DK": ("ApS",), "fi_FI": ("Oy",),
    "vi_VN": ("Co., Ltd.",), "sk_SK": ("s.r.o.",), "hr_HR": ("d.o.o.",),
}

BRAND_WORDS = ("Golden Lotus", "Sunrise", "Jade", "Orchid", "Pearl", "Lucky Star", "Bamboo",
               "Silk Road", "Blue Moon", "Happy Feet", "Tranquil", "Royal", "Diamond", "Velvet",
               "Sakura", "Lotus Garden", "Red Lantern", "Paradise", "Oasis", "Crystal", "Emerald",
               "Harmony", "Starlight", "Magnolia", "Silver Birch", "Evergreen", "Four Seasons",
               "New Horizon", "Bright Future", "Platinum", "Angel", "Rainbow", "Sapphire", "Golden Gate")

BUSINESS_PATTERNS: dict[str, tuple[str, ...]] = {
    "spa": ("{W} Nail Spa", "{W} Massage", "{W} Massage {S}", "{W} Beauty Studio", "{W} Wellness Center",
            "{W} Foot Spa", "{W} Day Spa", "{L} Nails", "{W} Nails & Beauty", "{W} Health Spa {S}",
            "{W} Thai Massage", "{W} Sauna Club"),
    "carwash": ("{L} Hand Car Wash", "{W} Car Valet", "{L} Car Wash", "{W} Hand Wash {S}", "{L} Auto Spa",
                "{L} Car Care {S}"),
    "restaurant": ("{W} Garden Restaurant", "{L}'s Kitchen", "Taverna {L}", "{W} Takeaway", "{W} Buffet",
                   "Pizzeria {L}", "{L} Grill House", "{W} Noodle Bar", "{L} Catering {S}"),
    "hotel": ("{W} Motel", "Motel {N}", "{W} Inn", "{W} Inn & Suites", "Budget Stay {N}", "{W} Lodge",
              "Hotel {L}", "{W} Guest House", "Roadstar Inn {N}", "Stay{N} Express"),
    "farm": ("{L} Farms", "{W} Produce {S}", "{L} & Sons Packing", "{L} Agri {S}", "{W} Growers",
             "{L} Fruit Farm", "{L} Poultry {S}", "{W} Fresh Packers"),
    "construction": ("{L} Building Services {S}", "{L} Bau {S}", "{L} Roofing", "{W} Construction {S}",
                     "{L} Groundworks {S}", "{L} Brothers Builders"),
    "cleaning": ("{W} Cleaning Services", "{L} Facility Services {S}", "{W} Housekeeping {S}",
                 "{L} Cleaning Co.", "Spotless {L} {S}"),
    "recruit": ("{W} Recruitment", "{L} Staffing Agency", "EuroWork {L} {S}", "{W} Job Solutions",
                "{W} Au Pair Agency", "{W} Model Management", "{L} Personnel {S}", "{W} Travel & Work",
                "{W} Employment Bureau", "Global {L} Recruitment"),
    "bar": ("Club {W}", "{W} Lounge", "Bar {W}", "{W} Karaoke", "{W} Nightclub", "{W} Gentlemen's Club",
            "{W} Cocktail Bar"),
    "factory": ("{L} Textiles {S}", "{W} Garments {S}", "{L} Meat Processing {S}", "{L} Logistics {S}",
                "{W} Packaging {S}", "{L} Fisheries {S}", "{W} Bakery {S}"),
}

AGENCIES: dict[str, tuple[str, ...]] = {
    "en_US": ("Department of Labor", "Homeland Security Investigations", "FBI", "Department of Homeland Security",
              "U.S. Attorney's Office", "Federal Bureau of Investigation", "Department of Justice"),
    "en_GB": ("National Crime Agency", "Home Office", "Gangmasters and Labour Abuse Authority",
              "Border Force", "Metropolitan Police", "Crown Prosecution Service", "Greater Manchester Police"),
    "en_CA": ("Royal Canadian Mounted Police", "RCMP", "Canada Border Services Agency", "Toronto Police Service"),
    "en_AU": ("Australian Federal Police", "Fair Work Ombudsman", "Australian Border Force", "NSW Police Force"),
    "en_IE": ("Garda National Protective Services Bureau", "Garda Síochána", "Workplace Relations Commission"),
    "en_IN": ("Anti-Human Trafficking Unit", "Central Bureau of Investigation", "National Investigation Agency"),
    "en_PH": ("Inter-Agency Council Against Trafficking", "National Bureau of Investigation",
              "Bureau of Immigration", "Philippine National Police"),
    "fr_FR": ("OCRTEH", "Police nationale", "Gendarmerie nationale", "Office central pour la répression de la traite"),
    "fr_CH": ("Police cantonale", "fedpol", "Office fédéral de la police"),
    "de_DE": ("Bundeskriminalamt", "Landeskriminalamt", "Zoll", "Finanzkontrolle Schwarzarbeit", "Bundespolizei"),
    "de_CH": ("fedpol", "Kantonspolizei", "Staatssekretariat für Migration"),
    "de_AT": ("Bundeskriminalamt", "Finanzpolizei", "Landespolizeidirektion"),
    "it_IT": ("Carabinieri", "Polizia di Stato", "Guardia di Finanza", "Ispettorato Nazionale del Lavoro"),
    "es_ES": ("Policía Nacional", "Guardia Civil", "Inspección de Trabajo"),
    "es_MX": ("Fiscalía General de la República", "Guardia Nacional", "Instituto Nacional de Migración"),
    "pt_BR": ("Polícia Federal", "Ministério Público do Trabalho", "Polícia Rodoviária Federal"),
    "pt_PT": ("Polícia Judiciária", "Autoridade para as Condições do Trabalho", "SEF"),
    "nl_NL": ("Politie", "Nederlandse Arbeidsinspectie", "Koninklijke Marechaussee"),
    "nl_BE": ("Federale Politie", "Myria", "Sociale Inspectie"),
    "pl_PL": ("Policja", "Straż Graniczna", "Państwowa Inspekcja Pracy", "Centralne Biuro Śledcze Policji"),
    "ro_RO": ("DIICOT", "Poliția Română", "Agenția Națională împotriva Traficului de Persoane", "ANITP"),
    "bg_BG": ("State Agency for National Security", "National Commission for Combating Trafficking",
              "Ministry of Interior"),
    "cs_CZ": ("Policie ČR", "Národní centrála proti organizovanému zločinu", "Státní úřad inspekce práce"),
    "hu_HU": ("Rendőrség", "Nemzeti Nyomozó Iroda", "Országos Rendőr-főkapitányság"),
    "el_GR": ("Hellenic Police", "Labour Inspectorate", "Anti-Trafficking Unit of the Hellenic Police"),
    "tr_TR": ("Emniyet Genel Müdürlüğü", "Jandarma", "Göç İdaresi"),
    "sv_SE": ("Polismyndigheten", "Arbetsmiljöverket", "Migrationsverket"),
    "da_DK": ("Rigspolitiet", "Arbejdstilsynet", "Center mod Menneskehandel"),
    "fi_FI": ("Keskusrikospoliisi", "Poliisi", "Rajavartiolaitos"),
    "vi_VN": ("Ministry of Public Security", "Border Guard Command", "Department of Labour, Invalids and Social Affairs"),
    "sk_SK": ("Policajný zbor", "Národná kriminálna agentúra", "Inšpektorát práce"),
    "hr_HR": ("Ministarstvo unutarnjih poslova", "Državni inspektorat", "PNUSKOK"),
}
INTERNATIONAL_AGENCIES = ("Europol", "Interpol", "International Organization for Migration", "IOM", "Frontex", "Eurojust")

NGO_NAMES = ("Safe Harbour", "Open Doors", "Hope Bridge", "Clear Path", "New Dawn", "Lighthouse", "Freedom Road",
             "Haven", "Stepping Stones", "Morning Star", "Kind Hands", "Northern Light", "Anchor", "Compass")
NGO_KINDS = ("Trust", "Foundation", "Refuge", "Network", "Project", "Alliance", "Centre", "Outreach",
             "Support Service", "Women's Shelter")

SITE_TOPICS = ("escort", "date", "night", "vip", "adult", "angel", "city", "local", "hot", "sugar", "velvet", "kiss",
               "tender", "massage", "girls", "lady", "secret", "candy", "flirt", "bella")
SITE_NOUNS = ("ads", "guide", "hub", "list", "zone", "meet", "board", "spot", "finder", "club", "dates", "post")
SITE_SUFFIXES = ("", "", "", "-xyz", "24", "-uk", "-eu", "now", "plus", "-city", "4u", "-vip")
SITE_TLDS = (".com", ".com", ".net", ".eu", ".co", ".biz", ".xyz", ".info", ".club")
REAL_PLATFORMS = ("Facebook", "Instagram", "Craigslist", "Backpage.com", "Vivastreet", "Locanto", "Gumtree",
                  "Facebook Marketplace", "TikTok", "OnlyFans", "Skipthegames")

BANK_NAMES = ("Northbridge", "Atlas", "Meridian", "Continental", "Harbour", "Union", "Unity", "Alpine", "Coastal",
              "Summit", "Capital", "Crown", "Metro", "Pioneer")
BANK_KINDS = ("Bank", "Savings Bank", "Credit Union", "Banking Group", "Money Transfer", "Remit")


def _legal_form(ctx: TextContext) -> str:
    """A legal-form suffix of the text's locale ("GmbH", "Ltd", ...)."""
    return ctx.rng.choice(LEGAL_FORMS.get(ctx.loc.code, ("Ltd",)))


def make_business_name(ctx: TextContext, kind: str) -> str:
    """A business of ``kind`` from a pattern: {W} brand word, {L} surname, {N} number, {S} legal form."""
    rng = ctx.rng
    pat = rng.choice(BUSINESS_PATTERNS[kind])
    if "{S}" in pat and rng.random() < 0.45:
        pat = pat.replace(" {S}", "")
    last = transliterate_to_latin(ctx.fake.last_name(), ctx.loc.code)     # English trade words: keep the name in Latin
    name = pat.replace("{W}", rng.choice(BRAND_WORDS)).replace("{L}", last)
    name = name.replace("{N}", str(rng.choice((6, 8, 24, 88, 9, 7, 1, 21, 365))))
    name = name.replace("{S}", _legal_form(ctx))
    if kind in ("spa", "bar", "restaurant", "cleaning") and "{S}" not in pat and rng.random() < 0.15:
        name += " " + _legal_form(ctx)
    return name


_SITE_NOUN_START = re.compile(r"(?<=[a-z])(?=(?:" + "|".join(SITE_NOUNS) + r"))")


def make_site_name(ctx: TextContext) -> str:
    """An advert platform: a real one, or an invented domain, sometimes written as a CamelCase brand."""
    rng = ctx.rng
    if rng.random() < 0.2:
        return rng.choice(REAL_PLATFORMS)
    name = rng.choice(SITE_TOPICS) + rng.choice(SITE_NOUNS) + rng.choice(SITE_SUFFIXES) + rng.choice(SITE_TLDS)
    if rng.random() < 0.35:
        parts = _SITE_NOUN_START.split(name, maxsplit=1)
        name = "".join(p[:1].upper() + p[1:] for p in parts)
    return name


def render_org(ctx: TextContext, name: str, arg: str) -> list[Segment]:
    """{ORG} (Faker company), {BIZ:kind}, {GOV}, {NGO}, {SITE}, {BANK}: one ORGANIZATION span."""
    rng = ctx.rng
    if name == "ORG":
        text = re.sub(r"\s+", " ", ctx.transliterate(ctx.fake.company())).strip()
        if re.fullmatch(r"[\w'-]+", text):          # a bare surname reads as a person: add the legal form
            text = f"{text} {_legal_form(ctx)}"
    elif name == "BIZ":
        text = make_business_name(ctx, arg or rng.choice(tuple(BUSINESS_PATTERNS)))
    elif name == "GOV":
        pool = AGENCIES.get(ctx.loc.code, ()) if rng.random() < 0.8 else INTERNATIONAL_AGENCIES
        text = rng.choice(pool or INTERNATIONAL_AGENCIES)
    elif name == "NGO":
        text = f"{rng.choice(NGO_NAMES)} {rng.choice(NGO_KINDS)}"
    elif name == "SITE":
        text = make_site_name(ctx)
    elif name == "BANK":
        text = f"{rng.choice(BANK_NAMES)} {rng.choice(BANK_KINDS)}"
    else:
        raise KeyError(name)
    return [Segment(text, "ORGANIZATION")]
