"""Word pools and sentence templates for the synthetic narrative generator.

Kept apart from ``nlp.synthetic`` so the generator's logic stays short and readable, and so
the vocabulary (which is what people tune when a benchmark needs harder or more varied text)
can change without touching code. Everything here is an immutable constant: the generator
must stay pure and deterministic, so no pool is ever mutated at run time.

All people, businesses, NGOs and identifiers built from these pools are fictional. Cities and
countries are real because routes and corridors are only meaningful on real geography.

Closing templates are listed in story order (escape first), and are used in that order.

Template syntax: ``{slot}`` is replaced by a value from the narrative's context. A slot whose
first letter is upper-case (``{She}``) is the capitalised form of the lower-case slot
(``she``). A template is only used when every slot it names is present, which is how
optional identifiers (wallet, email, agency, driver) and guards such as ``{lover}`` (an empty
slot present only when a template's premise fits the network) switch templates on and off.
"""

from __future__ import annotations

# --- people -------------------------------------------------------------------------------

#: nationality code -> (adjective, male first names, female first names, surnames).
#: Surnames are in masculine form; ``nlp.synthetic`` derives the feminine form where the
#: language inflects (Polish -ski/-ska, Slovak -ová, Bulgarian -ov/-ova).
NAMES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "RO": ("Romanian",
           ("Ion", "Andrei", "Alexandru", "Mihai", "Florin", "Marian", "Adrian", "Bogdan",
            "Cristian", "Ionut", "Gheorghe", "Vasile", "Constantin", "Dumitru", "Nicolae",
            "Stefan", "Catalin", "Daniel", "Razvan", "Sorin", "Costel", "Marius", "Valentin",
            "Lucian"),
           ("Maria", "Elena", "Ioana", "Andreea", "Alexandra", "Mihaela", "Florentina",
            "Georgiana", "Roxana", "Cristina", "Alina", "Daniela", "Gabriela", "Ramona",
            "Larisa", "Denisa", "Bianca", "Loredana", "Nicoleta", "Adriana", "Simona", "Diana",
            "Claudia", "Madalina"),
           ("Popescu", "Ionescu", "Popa", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe",
            "Matei", "Ciobanu", "Rusu", "Munteanu", "Constantin", "Marin", "Moldovan", "Dinu",
            "Serban", "Lungu", "Enache", "Tudor", "Florea", "Barbu", "Nistor", "Dobre",
            "Mocanu", "Lazar", "Stanciu", "Cojocaru", "Anghel", "Toma")),
    "BG": ("Bulgarian",
           ("Georgi", "Ivan", "Dimitar", "Nikolay", "Petar", "Hristo", "Stoyan", "Todor",
            "Atanas", "Krasimir", "Plamen", "Vasil", "Angel", "Yordan", "Kiril", "Martin",
            "Rumen", "Emil", "Valentin", "Tsvetan"),
           ("Maria", "Ivana", "Elena", "Desislava", "Gergana", "Petya", "Silvia", "Teodora",
            "Nikol", "Radostina", "Vesela", "Yana", "Kristina", "Milena", "Stefka", "Svetla",
            "Tsvetelina", "Galina", "Rositsa", "Daniela"),
           ("Ivanov", "Georgiev", "Dimitrov", "Petrov", "Nikolov", "Hristov", "Stoyanov",
            "Todorov", "Iliev", "Angelov", "Atanasov", "Vasilev", "Kolev", "Marinov",
            "Yordanov", "Petkov", "Popov", "Mihaylov", "Kostov", "Dobrev", "Zhelev", "Penev",
            "Slavov", "Tonev", "Rusev", "Stefanov", "Kirilov", "Mladenov", "Asenov", "Radev")),
    "PL": ("Polish",
           ("Piotr", "Krzysztof", "Tomasz", "Paweł", "Marcin", "Michał", "Łukasz", "Grzegorz",
            "Mariusz", "Adam", "Jakub", "Dariusz", "Kamil", "Rafał", "Robert", "Marek",
            "Wojciech", "Sebastian", "Damian", "Artur"),
           ("Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Monika", "Ewa",
            "Małgorzata", "Aleksandra", "Natalia", "Karolina", "Paulina", "Justyna", "Marta",
            "Beata", "Dorota", "Sylwia", "Patrycja", "Weronika", "Izabela"),
           ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński",
            "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski",
            "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski",
            "Nowakowski", "Pawłowski", "Michalski", "Król", "Wieczorek", "Jabłoński", "Wróbel",
            "Majewski", "Olszewski", "Stępień", "Malinowski", "Jaworski")),
    "SK": ("Slovak",
           ("Peter", "Martin", "Jozef", "Ján", "Michal", "Tomáš", "Marek", "Lukáš", "Miroslav",
            "Juraj", "Milan", "Stanislav", "Ľubomír", "Dušan", "Róbert", "Patrik", "Marián",
            "Vladimír", "Roman", "Igor"),
           ("Mária", "Jana", "Zuzana", "Katarína", "Lucia", "Monika", "Eva", "Andrea",
            "Martina", "Veronika", "Simona", "Ivana", "Petra", "Dominika", "Michaela",
            "Barbora", "Natália", "Silvia", "Renáta", "Denisa"),
           ("Horváth", "Kováč", "Varga", "Tóth", "Nagy", "Baláž", "Szabó", "Molnár", "Balog",
            "Lukáč", "Novák", "Hudec", "Kollár", "Oravec", "Polák", "Gajdoš", "Bartoš", "Mráz",
            "Kočiš", "Blaho", "Sýkora", "Kučera", "Novotný", "Malý", "Čonka", "Gábor", "Daniel",
            "Kotlár", "Mižigár", "Ferko")),
    "VN": ("Vietnamese",
           ("Hung", "Minh", "Tuan", "Duc", "Hieu", "Nam", "Long", "Quang", "Thanh", "Phuc",
            "Khanh", "Dung", "Cuong", "Hoang", "Trung", "Son", "Binh", "Tien", "Vinh", "Hai"),
           ("Lan", "Huong", "Mai", "Linh", "Trang", "Thao", "Ngoc", "Hoa", "Hanh", "Phuong",
            "Nhung", "Yen", "Thuy", "Van", "Anh", "Dung", "Hien", "Loan", "Oanh", "Tam"),
           ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ho",
            "Ngo", "Duong", "Ly", "Dinh", "Truong", "Vo", "Trinh", "Mai", "Cao", "Lam", "Luong",
            "Ta", "Ha", "Chu")),
    "NG": ("Nigerian",
           ("Osas", "Efosa", "Osaro", "Ikponmwosa", "Emeka", "Chinedu", "Tunde", "Segun",
            "Femi", "Uche", "Obinna", "Kelechi", "Ifeanyi", "Babatunde", "Olumide", "Nosa",
            "Godwin", "Sunday", "Ehis", "Osagie"),
           ("Blessing", "Joy", "Precious", "Gift", "Faith", "Osasu", "Ivie", "Efe", "Esohe",
            "Ngozi", "Chiamaka", "Adaeze", "Funmilayo", "Bisi", "Ifeoma", "Peace", "Favour",
            "Comfort", "Mercy", "Patience"),
           ("Osagie", "Igbinedion", "Omoruyi", "Ehigiator", "Okafor", "Okonkwo", "Adeyemi",
            "Ogunleye", "Eze", "Nwosu", "Adebayo", "Olawale", "Ibrahim", "Bello", "Okeke",
            "Uzor", "Idahosa", "Osayande", "Aigbe", "Edosomwan", "Obi", "Nwachukwu",
            "Omoregie", "Iyamu", "Ekhator")),
    "AL": ("Albanian",
           ("Arben", "Besnik", "Dritan", "Ermal", "Fatmir", "Gentian", "Ilir", "Klodian", "Luan",
            "Mirjan", "Olsi", "Redon", "Sokol", "Artan", "Altin", "Bledar", "Erion", "Endrit",
            "Kujtim", "Gezim"),
           ("Anisa", "Arjola", "Blerina", "Elira", "Enkeleda", "Fjona", "Klea", "Ledia",
            "Mirela", "Sonila", "Valbona", "Xhesika", "Rudina", "Ornela", "Jonida", "Entela",
            "Alketa", "Brunilda", "Eralda", "Dorina"),
           ("Hoxha", "Shehu", "Krasniqi", "Gashi", "Berisha", "Dervishi", "Leka", "Marku",
            "Kola", "Prifti", "Cela", "Hysa", "Mema", "Basha", "Bregu", "Dushku", "Gjoka",
            "Lleshi", "Zeneli", "Xhafa", "Muca", "Kapllani", "Tafa", "Brahimi", "Qose")),
    "GB": ("British",
           ("James", "Daniel", "Liam", "Connor", "Ryan", "Jordan", "Kieran", "Callum", "Jack",
            "Tyler", "Jamie", "Lewis", "Aaron", "Reece", "Mason", "Bradley", "Nathan", "Dean",
            "Shane", "Craig"),
           ("Chloe", "Jade", "Amy", "Leanne", "Stacey", "Kirsty", "Sophie", "Megan", "Hannah",
            "Lauren", "Gemma", "Charlotte", "Rebecca", "Danielle", "Kelly", "Natalie", "Holly",
            "Paige", "Shannon", "Zoe"),
           ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
            "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Edwards", "Turner", "Harris",
            "Mitchell", "Parker", "Cooper", "Ward", "Morris", "Bennett")),
    "IT": ("Italian",
           ("Giuseppe", "Marco", "Salvatore", "Antonio", "Francesco", "Luca", "Alessandro",
            "Vincenzo", "Davide", "Matteo", "Stefano", "Domenico", "Pasquale", "Gennaro",
            "Carmine", "Fabio", "Roberto", "Massimo", "Paolo", "Andrea"),
           ("Giulia", "Francesca", "Chiara", "Sara", "Martina", "Valentina", "Federica",
            "Alessia", "Elena", "Anna", "Rosa", "Maria", "Teresa", "Lucia", "Silvia", "Paola",
            "Carmela", "Angela", "Simona", "Ilaria"),
           ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
            "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
            "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro",
            "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone")),
}

#: Vietnamese names are written family, middle, given; the middle name marks gender.
VN_MIDDLE: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("Van", "Duc", "Minh", "Quang", "Huu", "Cong"),
    ("Thi", "Ngoc", "Thu", "Thanh", "Kim", "Hong"),
)

# --- places -------------------------------------------------------------------------------

COUNTRY_NAMES: dict[str, str] = {
    "RO": "Romania", "BG": "Bulgaria", "PL": "Poland", "SK": "Slovakia", "VN": "Vietnam",
    "NG": "Nigeria", "AL": "Albania", "GB": "the UK", "IT": "Italy", "AT": "Austria",
    "DE": "Germany", "ES": "Spain", "FR": "France", "NL": "the Netherlands", "BE": "Belgium",
    "IE": "Ireland", "HU": "Hungary", "RU": "Russia", "NE": "Niger", "LY": "Libya",
    "GR": "Greece", "RS": "Serbia", "CZ": "Czechia",
}

CITIES: dict[str, tuple[str, ...]] = {
    "RO": ("Constanta", "Bucharest", "Craiova", "Iasi", "Galati", "Brasov", "Timisoara",
           "Bacau", "Calarasi", "Slatina", "Braila", "Pitesti"),
    "BG": ("Sofia", "Varna", "Burgas", "Sliven", "Pleven", "Plovdiv", "Ruse", "Stara Zagora"),
    "PL": ("Warsaw", "Krakow", "Gdansk", "Lodz", "Poznan", "Wroclaw", "Lublin", "Bialystok"),
    "SK": ("Kosice", "Bratislava", "Presov", "Michalovce", "Nitra", "Lucenec"),
    "VN": ("Vinh", "Hanoi", "Hai Phong", "Ha Tinh", "Dong Hoi", "Thanh Hoa"),
    "NG": ("Benin City", "Lagos", "Abuja", "Port Harcourt", "Ibadan", "Warri"),
    "AL": ("Tirana", "Durres", "Shkoder", "Elbasan", "Vlore", "Fier"),
    "GB": ("London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol", "Sheffield",
           "Nottingham", "Boston", "Peterborough", "Wisbech", "Cardiff", "Swansea",
           "Southend-on-Sea", "Luton", "Newcastle"),
    "IT": ("Rome", "Naples", "Palermo", "Turin", "Milan", "Bari", "Latina", "Foggia",
           "Castel Volturno", "Ragusa"),
    "AT": ("Vienna", "Graz", "Linz", "Salzburg"),
    "DE": ("Berlin", "Hamburg", "Munich", "Frankfurt", "Dortmund", "Cologne"),
    "ES": ("Madrid", "Barcelona", "Almeria", "Huelva", "Valencia", "Murcia"),
    "FR": ("Paris", "Lyon", "Marseille", "Lille"),
    "NL": ("Amsterdam", "Rotterdam", "The Hague", "Utrecht"),
    "BE": ("Brussels", "Antwerp", "Ghent", "Liege"),
    "IE": ("Dublin", "Cork", "Limerick", "Galway"),
}

#: origin -> transit points (city, country) on the usual corridors out of that country.
TRANSIT: dict[str, tuple[tuple[str, str], ...]] = {
    "RO": (("Bucharest", "RO"), ("Budapest", "HU"), ("Vienna", "AT"), ("Arad", "RO")),
    "BG": (("Sofia", "BG"), ("Belgrade", "RS"), ("Budapest", "HU"), ("Vienna", "AT")),
    "PL": (("Warsaw", "PL"), ("Berlin", "DE"), ("Prague", "CZ"), ("Poznan", "PL")),
    "SK": (("Kosice", "SK"), ("Bratislava", "SK"), ("Vienna", "AT"), ("Prague", "CZ")),
    "VN": (("Moscow", "RU"), ("Budapest", "HU"), ("Paris", "FR"), ("Berlin", "DE")),
    "NG": (("Agadez", "NE"), ("Tripoli", "LY"), ("Lagos", "NG"), ("Sabha", "LY")),
    "AL": (("Durres", "AL"), ("Athens", "GR"), ("Brussels", "BE"), ("Milan", "IT")),
    "GB": (("Birmingham", "GB"), ("London", "GB"), ("Manchester", "GB"), ("Leeds", "GB")),
    "IT": (("Rome", "IT"), ("Naples", "IT"), ("Milan", "IT")),
}

#: extra transit points for journeys that end in the UK or Ireland (the Channel crossing).
CHANNEL_TRANSIT: tuple[tuple[str, str], ...] = (
    ("Calais", "FR"), ("Brussels", "BE"), ("Rotterdam", "NL"), ("Dunkirk", "FR"),
)

#: origin -> (first-leg modes, second-leg modes).
MODES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "RO": (("bus", "minibus", "coach", "car", "van", "plane"), ("bus", "minibus", "car", "van")),
    "BG": (("bus", "minibus", "coach", "car", "plane"), ("bus", "minibus", "car")),
    "PL": (("coach", "minibus", "car", "plane", "train"), ("coach", "minibus", "van")),
    "SK": (("bus", "minibus", "car", "train"), ("bus", "minibus", "car")),
    "VN": (("plane",), ("lorry", "car", "van")),
    "NG": (("road", "bus", "car"), ("boat", "lorry")),
    "AL": (("car", "ferry", "plane", "bus"), ("lorry", "car", "van")),
    "GB": (("train", "car", "taxi", "coach"), ("train", "car", "taxi")),
    "IT": (("train", "car", "bus"), ("train", "car", "bus")),
}

STREETS: dict[str, tuple[str, ...]] = {
    "GB": ("Station Road", "High Street", "Church Lane", "Victoria Road", "Mill Lane",
           "Park Avenue", "London Road", "Albert Street", "Queens Road", "Green Lane"),
    "IT": ("Via Roma", "Via Garibaldi", "Via Mazzini", "Via Appia", "Corso Italia"),
    "AT": ("Hauptstraße", "Bahnhofstraße", "Gürtel", "Lerchenfelder Straße"),
    "DE": ("Hauptstraße", "Bahnhofstraße", "Schulstraße", "Lindenstraße"),
    "ES": ("Calle Mayor", "Avenida de la Paz", "Calle Real", "Calle Nueva"),
    "FR": ("Rue de la Gare", "Rue Victor Hugo", "Avenue Jean Jaurès"),
    "NL": ("Stationsweg", "Kerkstraat", "Dorpsstraat"),
    "BE": ("Rue Neuve", "Stationsstraat", "Kerkstraat"),
    "IE": ("Main Street", "Church Road", "Bridge Street"),
}

# --- money and identifiers ----------------------------------------------------------------

#: country -> (symbol written before the amount or "", word written after it, units per GBP).
CURRENCY: dict[str, tuple[str, str, float]] = {
    "GB": ("£", "pounds", 1.0), "IE": ("€", "euros", 1.15), "IT": ("€", "euros", 1.15),
    "AT": ("€", "euros", 1.15), "DE": ("€", "euros", 1.15), "ES": ("€", "euros", 1.15),
    "FR": ("€", "euros", 1.15), "NL": ("€", "euros", 1.15), "BE": ("€", "euros", 1.15),
    "SK": ("€", "euros", 1.15), "RO": ("", "lei", 5.7), "BG": ("", "leva", 2.2),
    "PL": ("", "złoty", 5.0), "AL": ("", "lek", 110.0), "NG": ("₦", "naira", 1500.0),
    "VN": ("$", "US dollars", 1.25),
}

#: IBAN country -> BBAN structure from the SWIFT IBAN registry (n digits, a upper-case
#: letters, c alphanumerics). Belgium and Spain are absent: their national check digits
#: would need extra code, so those networks bank in the victims' origin country instead.
IBAN_BBAN: dict[str, str] = {
    "GB": "4!a6!n8!n", "IE": "4!a6!n8!n", "IT": "1!a5!n5!n12!c", "DE": "8!n10!n",
    "AT": "5!n11!n", "RO": "4!a16!c", "BG": "4!a4!n2!n8!c", "PL": "8!n16!n",
    "SK": "4!n6!n10!n", "AL": "8!n16!c", "FR": "5!n5!n11!c2!n", "NL": "4!a10!n",
}

#: plausible bank identifiers for registries whose BBAN starts with letters.
BANK_CODES: dict[str, tuple[str, ...]] = {
    "GB": ("NWBK", "BARC", "LOYD", "HBUK", "MIDL", "MONZ", "REVO", "SRLG"),
    "IE": ("AIBK", "BOFI", "IPBS", "ULSB"),
    "RO": ("BTRL", "RNCB", "BRDE", "INGB", "RZBR", "CECE"),
    "BG": ("UNCR", "STSA", "FINV", "BPBI", "RZBB"),
    "NL": ("INGB", "ABNA", "RABO", "BUNQ", "KNAB"),
}

#: (country, mobile prefixes of the national significant number, its lengths).
PHONE_PLANS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "RO": (("72", "73", "74", "75", "76", "78"), (9,)),
    "BG": (("87", "88", "89"), (9,)),
    "PL": (("50", "51", "53", "57", "60", "66", "69", "72", "78", "79", "88"), (9,)),
    "SK": (("902", "903", "905", "910", "911", "915", "940", "944", "948", "949"), (9,)),
    "VN": (("90", "91", "93", "94", "96", "97", "98", "86", "88", "33", "35", "38"), (9,)),
    "NG": (("803", "806", "813", "816", "703", "706", "802", "808", "812", "805", "807"), (10,)),
    "AL": (("67", "68", "69"), (9,)),
    "GB": (("740", "741", "743", "745", "747", "749", "751", "752", "753", "756", "757",
            "758", "759", "766", "768", "769", "770", "771", "772", "773", "774", "775",
            "776", "777", "778", "779", "780", "781", "782", "783", "784", "786", "787",
            "788", "789", "790", "791", "792", "793", "794", "795", "796", "798", "799"), (10,)),
    "IT": (("320", "327", "328", "329", "330", "333", "334", "338", "339", "340", "342",
            "345", "346", "347", "348", "349", "350", "366", "380", "388", "389", "392"), (10,)),
    "AT": (("650", "660", "664", "676", "680", "681", "688", "699"), (10, 11)),
    "DE": (("151", "152", "157", "160", "162", "170", "171", "172", "173", "175", "176",
            "177", "178", "179"), (10, 11)),
    "ES": (("6", "7"), (9,)),
    "FR": (("6", "7"), (9,)),
    "NL": (("6",), (9,)),
    "BE": (("46", "47", "48", "49"), (9,)),
    "IE": (("83", "85", "86", "87", "89"), (9,)),
}

#: the only wallets the generator writes: real, checksum-valid example addresses.
WALLETS: tuple[str, ...] = (
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "0x52908400098527886E0F7030069857D2E4169EE7", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
)

EMAIL_DOMAINS: tuple[str, ...] = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
                                  "yahoo.ro", "mail.bg", "wp.pl", "azet.sk", "protonmail.com")

#: country -> top-level domain for business and agency websites.
TLD: dict[str, str] = {
    "GB": "co.uk", "IE": "ie", "IT": "it", "AT": "at", "DE": "de", "ES": "es", "FR": "fr",
    "NL": "nl", "BE": "be", "RO": "ro", "BG": "bg", "PL": "pl", "SK": "sk", "AL": "al",
    "VN": "vn", "NG": "com.ng",
}

# --- organisations ------------------------------------------------------------------------

NGOS: tuple[str, ...] = (
    "Safe Passage Trust", "Casa Aurora", "Freedom Bridge", "Hope Harbour", "Nova Vita",
    "Open Door Anti-Slavery Project", "Lantern Support Network", "Stella Nord e.V.",
    "Second Spring Foundation", "Harbour Light Advocacy", "Northern Star Refuge",
)

LEGAL_SUFFIX: dict[str, tuple[str, ...]] = {
    "GB": ("Ltd", "Limited", "Ltd."), "IE": ("Ltd", "Limited"), "IT": ("S.r.l.", "Srl"),
    "AT": ("GmbH",), "DE": ("GmbH", "UG"), "ES": ("S.L.",), "FR": ("SARL",),
    "NL": ("B.V.",), "BE": ("SRL", "BV"), "RO": ("SRL", "S.R.L."), "BG": ("EOOD", "OOD"),
    "PL": ("Sp. z o.o.",), "SK": ("s.r.o.",), "AL": ("Sh.p.k.",), "VN": ("Co. Ltd",),
    "NG": ("Ventures", "Enterprises"),
}

BUSINESS_WORDS: tuple[str, ...] = (
    "Golden", "Royal", "Star", "Sunrise", "Lotus", "Crystal", "Diamond", "Silver", "Green",
    "Premier", "Elite", "Happy", "Sunny", "Orchid", "Paradise", "Express", "City", "Metro",
    "Pearl", "Jade", "Velvet", "Rose", "Ocean", "Blue Sky", "Evergreen", "Phoenix", "Apex",
)

AGENCY_PATTERNS: tuple[str, ...] = (
    "{word} Jobs Abroad", "EuroWork {word}", "{word} Recruitment", "{surname} Staffing",
    "Work&Travel {word}", "{word} Personnel",
)

# --- exploitation types -------------------------------------------------------------------

#: exploitation -> configuration. Weights are relative; phrases are lists to draw from.
EXPLOITATION: dict[str, dict[str, object]] = {
    "sexual": {
        "weight": 30, "female": 0.95, "ages": (16, 32),
        "origins": {"RO": 5, "BG": 3, "NG": 3, "AL": 3, "VN": 1, "GB": 1, "SK": 1, "PL": 1},
        "dests": {"GB": 5, "IT": 2, "DE": 2, "AT": 1, "ES": 1, "NL": 1, "FR": 1, "IE": 1, "BE": 1},
        "businesses": ("{word} Massage", "{word} Sauna", "{word} Lounge", "Club {word}",
                       "{word} Spa & Wellness", "{word} Beauty Rooms"),
        "jobs": ("a job as a waitress", "a job in a hotel", "work as a cleaner",
                 "a job as a babysitter", "work in a restaurant", "a job in a bar"),
        "work": ("forced to see clients", "made to have sex with customers",
                 "advertised online and made to see men", "kept in a flat and made to see clients"),
        "workplace": ("the flat", "the massage parlour", "the sauna", "the house"),
        "unit": ("per client", "per hour", "per booking"), "price": (40, 150),
    },
    "labour_agriculture": {
        "weight": 15, "female": 0.35, "ages": (18, 55),
        "origins": {"RO": 4, "BG": 4, "PL": 3, "SK": 2, "AL": 1},
        "dests": {"GB": 4, "IT": 3, "ES": 2, "DE": 1, "NL": 1},
        "businesses": ("{surname} Farms", "{word} Produce", "{word} Fresh Packing",
                       "{city} Growers", "{word} Fields Agricultural", "{surname} & Sons Harvest"),
        "jobs": ("farm work", "a job picking fruit", "a packing job at a farm",
                 "seasonal work in the fields"),
        "work": ("picking strawberries in the polytunnels", "cutting daffodils in the fields",
                 "packing vegetables in a cold packhouse", "harvesting tomatoes",
                 "picking grapes"),
        "workplace": ("the farm", "the packhouse", "the fields"),
        "unit": ("per crate", "per day", "per tray"), "price": (2, 40),
    },
    "labour_construction": {
        "weight": 12, "female": 0.05, "ages": (18, 58),
        "origins": {"PL": 4, "RO": 4, "SK": 2, "BG": 2, "AL": 2},
        "dests": {"GB": 4, "DE": 3, "AT": 2, "NL": 1, "BE": 1, "IE": 1},
        "businesses": ("{surname} Builders", "{word} Construction", "{word} Roofing",
                       "{surname} Groundworks", "{word} Property Services", "{word} Build & Renovate"),
        "jobs": ("building work", "a job on a construction site", "work as a labourer",
                 "a job renovating houses"),
        "work": ("labouring on building sites", "carrying bricks and mixing cement",
                 "stripping roofs", "demolishing kitchens and bathrooms"),
        "workplace": ("the site", "the building site", "the yard"),
        "unit": ("per day", "per week"), "price": (20, 80),
    },
    "labour_car_wash": {
        "weight": 10, "female": 0.02, "ages": (17, 45),
        "origins": {"RO": 3, "AL": 3, "BG": 1, "VN": 1, "SK": 1},
        "dests": {"GB": 6, "IE": 1, "DE": 1},
        "businesses": ("{word} Hand Car Wash", "{word} Car Valeting", "{city} Hand Car Wash",
                       "{word} Auto Spa", "Sparkle {word} Car Wash"),
        "jobs": ("a job at a car wash", "work washing cars", "a job valeting cars"),
        "work": ("washing cars in the cold", "valeting cars without gloves",
                 "washing cars with chemicals that burned the skin"),
        "workplace": ("the car wash", "the yard", "the forecourt"),
        "unit": ("per car", "per day"), "price": (5, 30),
    },
    "labour_nail_bar": {
        "weight": 8, "female": 0.75, "ages": (15, 35),
        "origins": {"VN": 1},
        "dests": {"GB": 6, "IE": 1, "DE": 1, "NL": 1},
        "businesses": ("{word} Nails", "{word} Nails & Beauty", "{word} Nail Spa",
                       "Nails by {word}", "{word} Nail Bar"),
        "jobs": ("a job in a nail salon", "work in a beauty salon", "a job and English lessons"),
        "work": ("doing nails without a mask", "doing manicures for twelve hours",
                 "working in the salon and cleaning it at night"),
        "workplace": ("the salon", "the nail bar", "the shop"),
        "unit": ("per set of nails", "per customer"), "price": (15, 40),
    },
    "domestic_servitude": {
        "weight": 8, "female": 0.85, "ages": (14, 50),
        "origins": {"NG": 4, "VN": 2, "RO": 1, "AL": 1, "BG": 1},
        "dests": {"GB": 4, "IT": 1, "FR": 1, "DE": 1, "IE": 1},
        "businesses": ("{word} Home Care Agency", "{word} Domestic Staffing", "{word} Au Pair Services",
                       "{surname} Household Services", "{word} Nannies"),
        "jobs": ("work as a nanny", "a job as a housekeeper", "a place with a family and school",
                 "work as a carer"),
        "work": ("cooking, cleaning and looking after the children",
                 "caring for an elderly relative day and night",
                 "cleaning the house and the family's two shops"),
        "workplace": ("the house", "the family home", "the flat"),
        "unit": ("per month", "per week"), "price": (50, 300),
    },
    "criminal": {
        "weight": 12, "female": 0.2, "ages": (14, 30),
        "origins": {"VN": 4, "GB": 4, "AL": 2, "RO": 1, "SK": 1},
        "dests": {"GB": 7, "IE": 1, "NL": 1, "DE": 1},
        "businesses": ("{word} Takeaway", "{word} Phone Repairs", "{word} Mini Market",
                       "{surname} Car Parts", "{word} Barbers"),
        "jobs": ("a job in a restaurant", "easy money", "a job in a shop", "work and a place to stay"),
        "work": ("watering cannabis plants in a locked house", "selling drugs from a flat",
                 "shoplifting in town centres", "begging outside supermarkets",
                 "carrying drugs by train to other towns"),
        "workplace": ("the house", "the flat", "the shop"),
        "unit": ("per day", "per deal", "per week"), "price": (10, 50),
    },
}

#: nationality -> the language an interpreter would need (British victims need none).
LANGUAGE: dict[str, str] = {
    "RO": "Romanian", "BG": "Bulgarian", "PL": "Polish", "SK": "Slovak", "VN": "Vietnamese",
    "NG": "Edo", "AL": "Albanian", "IT": "Italian",
}

STYLES: dict[str, int] = {"first_person": 35, "caseworker": 35, "police": 30}
RELIABILITY: dict[str, int] = {"A": 10, "B": 35, "C": 30, "D": 12, "E": 8, "F": 5}
CREDIBILITY: dict[str, int] = {"1": 12, "2": 35, "3": 30, "4": 12, "5": 6, "6": 5}

# --- templates ----------------------------------------------------------------------------
# fp = first person (the survivor speaks); tp = third person (caseworker and police).

T: dict[str, tuple[str, ...]] = {
    "fp_open": (
        "My name is {victim_first} and I am from {home}, in {home_country}.",
        "I am {victim_first}. I was {age} when this started.",
        "I grew up in {home}, {home_country}. My family is poor and my mother was sick, so I needed work.",
        "I come from a village near {home}. After school there was no work for me.",
        "My name is {victim}. I was born in {home_country} in {birth_year}.",
        "I want to tell what happened to me so it does not happen to other people.",
    ),
    "cw_open": (
        "Client {victim} ({age}, {nationality}) was referred to {ngo} on {report_day}.",
        "Initial assessment with {victim_first}, {nationality} {man} aged {age}, conducted with an interpreter ({language}).",
        "Case note {report_day}. Met with client {victim} (DOB {dob}) at the {ngo} office.",
        "{victim} attended the drop-in on {report_day}, accompanied by a support worker from {ngo}.",
        "Case ref {case_ref}. Client: {victim}, {nationality}, aged {age}.",
    ),
    "po_open": (
        "On {report_day} at {time} officers attended {business}, {biz_city}, following an anonymous call.",
        "Crime reference {ref}. Victim: {victim}, {age}, {nationality} national.",
        "Report taken on {report_day} from {victim} ({nationality}, {age}) at {biz_city} police station with an interpreter ({language}) present.",
        "Incident {ref} - suspected modern slavery. {victim} was found at {business} during a licensing visit on {report_day}.",
        "Ref: {ref}\nDate: {report_day}\nVictim {victim}, {age}, {nationality}, was spoken to at a place of safety.",
    ),
    "fp_recruit": (
        "In {recruit_month} {recruiter}, a {r_person} I knew from my village, told me about {job}.",
        "{recruiter} contacted me on Facebook in {recruit_month} and promised me {job} that paid {promised_month} a month.",
        "I met {recruiter_first} in {recruit_month}. {R_she} was kind to me at first and said I could earn {promised} a week with {job}.",
        "{foreign}A friend of my cousin, {recruiter}, offered me {job} abroad. {R_she} said {r_she} would pay for the ticket and I could pay it back later.",
        "I saw an advert for {job} and called the number, {phone}. A {r_person} called {recruiter_first} answered and said I could start straight away.",
        "I answered an advert from {agency} for {job}. {recruiter} from the agency said the pay was {promised} a week.",
        "{foreign}{lover}In {recruit_month} I started going out with {recruiter_first}. He said we would go abroad together and I would find {job}.",
        "{madam}A woman called {recruiter}, who everyone called Madam, said she would take me to Europe for {job}. Before we left I had to swear an oath at a shrine.",
    ),
    "tp_recruit": (
        "{She} was recruited in {recruit_month} by {recruiter}, a {r_person} from {home}, who offered {her} {job}.",
        "{recruiter} approached {her} through Facebook and promised {job} paying {promised_month} a month.",
        "{She} responded to an advert for {job} and was put in touch with {recruiter} on {phone}.",
        "{recruiter} of {agency} arranged the job and told {her} the wage would be {promised} a week.",
        "{foreign}{She} describes {recruiter} as a family friend who offered to help {her} find {job} abroad.",
        "{foreign}{lover}{She} was in a relationship with {recruiter_first}, who persuaded {her} to travel abroad for {job}.",
        "{madam}{She} was introduced to {recruiter}, known as 'Madam', and was made to swear a juju oath before the journey.",
        "The job offer, {job} for {promised} a week, came from {recruiter} in {recruit_month}.",
    ),
    "fp_contact": (
        "{R_she} sent me a contract from {email}, but I never got a copy to keep.",
        "{R_she} showed me a page, {url}, with photos of happy workers.",
        "I found the job on {url}.",
        "I still have {recruiter_first}'s number, {phone}.",
        "{recruiter_first} always called me from {phone} and later from another number.",
    ),
    "tp_contact": (
        "{recruiter} used the email address {email} to send a contract.",
        "The recruitment page {url} was shown to {her} as proof the job was real.",
        "{She} found the job through {url}.",
        "{recruiter} was contactable on {phone}.",
        "{She} provided {recruiter}'s mobile number, {phone}.",
    ),
    "fp_travel": (
        "We travelled by {mode1} from {origin} via {via} to {dest} in {travel_month}.",
        "In {travel_month} I left {origin} by {mode1}. We stopped in {via} and then went on by {mode2} to {dest}.",
        "{driver} took us from {origin} to {via} and then on to {dest}, {dest_country}. His number was {driver_phone}.",
        "{foreign}The journey from {origin} to {dest} took {travel_days} days. We went by {mode1} through {via}.",
        "I left on {travel_day}. First we went by {mode1} to {via}, then by {mode2} to {dest}.",
    ),
    "tp_travel": (
        "{She} travelled by {mode1} from {origin} via {via} to {dest} in {travel_month}.",
        "On {travel_day} {she} left {origin} by {mode1}, transiting {via}, and arrived in {dest} by {mode2}.",
        "Travel was arranged by {recruiter}; {she} went by {mode1} to {via} and then by {mode2} to {dest}, {dest_country}.",
        "{driver} drove {her} from {origin} to {dest} via {via} in {travel_month}. The driver used the number {driver_phone}.",
        "{foreign}The journey from {origin} to {dest} took {travel_days} days and cost {fee}, which was added to {her_p} debt.",
    ),
    "fp_work": (
        "When we arrived {controller} took us to {business} in {biz_city}. I was {work} {hours} hours a day, {days} days a week.",
        "I worked at {business} on {street}, {biz_city}. Some days I was also {work2}.",
        "{controller_first} ran {business} and another place, {business2}, and I had to work at both.",
        "The rate was {price} {unit} but {controller_first} kept everything.",
        "I was supposed to earn {promised} but I got {paid} a week, sometimes nothing.",
        "We lived at {street} in {biz_city}, {workers_n} of us in two rooms above {business}.",
    ),
    "tp_work": (
        "On arrival {she} was taken to {business} in {biz_city} by {controller}, where {she} was {work}.",
        "{She} worked {hours} hours a day, {days} days a week, {work2}.",
        "{She} was made to work at {business} and later at {business2}, both run by {controller}.",
        "{She} was paid {paid} per week instead of the {promised} promised.",
        "{She} was accommodated at {street}, {biz_city}, with {workers_n} other workers.",
        "The rate was {price} {unit}; none of it went to {her}.",
    ),
    "fp_iban": (
        "My wages were paid into a bank account, {iban}, but {controller_first} had the card.",
        "Every Friday I had to send money to {iban} in {controller}'s name.",
        "The money for my work went to an account, {iban}; I never saw it.",
    ),
    "tp_iban": (
        "Earnings were transferred to IBAN {iban}, held in the name of {controller}.",
        "{controller} received {her_p} wages into account {iban}.",
        "Bank account {iban} was used to collect {her_p} pay.",
    ),
    "fp_pay": (
        "Later {c_she} told us to pay in bitcoin to {wallet}.",
        "{controller_first} wanted the money as crypto, to {wallet}.",
        "{R_she} asked me to send a copy of my passport to {email}.",
    ),
    "tp_pay": (
        "Payments were also made in cryptocurrency to the wallet {wallet}.",
        "{controller} demanded payment in bitcoin to {wallet}.",
        "{She} was told to send copies of {her_p} ID to {email}.",
    ),
    "fp_phone": (
        "{controller_first} always called from {phone2}.",
        "If there was a problem we had to ring {controller_first} on {phone2}.",
    ),
    "tp_phone": (
        "{She} provided the number {phone2} for {controller}.",
        "{controller} used mobile {phone2} to give instructions.",
        "Phone number attributed to {controller}: {phone2}.",
    ),
    "fp_cross": (
        "Another worker told me {x_recruiter} had brought them over too, and worked with {controller_first}.",
        "Sometimes a man called {x_controller} came to collect money.",
        "Before that I worked for a few weeks at {x_business} in {x_city}.",
        "Once {controller_first} gave me a different number to call, {x_phone}.",
    ),
    "tp_cross": (
        "{She} also named {x_controller} as someone who collected money from the workers.",
        "{She} recalled the number {x_phone} being used to arrange transport.",
        "Prior to this {she} had spent a short period at {x_business}, {x_city}.",
        "{x_recruiter} was mentioned as a contact of {controller}.",
    ),
    "fp_close": (
        "I escaped in {escape_month} when the police came to {business}.",
        "I ran away on {escape_day} and a woman at a bus stop helped me.",
        "In {escape_month} a neighbour helped me call the police. Now I am safe and living in a shelter.",
        "I want people to know this can happen to anyone.",
        "Now I am with {ngo} and I am learning English.",
    ),
    "cw_close": (
        "Client left the situation on {escape_day} with help from a friend.",
        "NRM referral made on {report_day}; reference {nrm_ref}.",
        "Client consents to information being shared with the police.",
        "Safety plan agreed. Client placed in safe house accommodation.",
        "Next appointment in {weeks} weeks; {language} interpreter required.",
    ),
    "po_close": (
        "Victim left the premises on {escape_day}.",
        "Premises: {business}, {street}, {biz_city}.",
        "{controller} was not located at the time of the report.",
        "Victim safeguarded and referred into the NRM.",
        "Enquiries ongoing. Intelligence logged under reference {ref}.",
    ),
    "cw_frame": ("{She} disclosed that ", "Client reports that ", "{She} states that ",
                 "{She} said that "),
    "po_frame": ("The victim stated that ", "{She} told officers that ",
                 "In interview {she} said that "),
    "fp_extra": (
        "{foreign}I did not speak the language and I did not know where I was.",
        "I was {age} and I was very scared.",
        "The room was cold and there was no hot water.",
        "I could not tell my family what was happening.",
    ),
    "tp_extra": (
        "{foreign}{She} does not speak English and did not know the address.",
        "{She} appeared anxious and underweight.",
        "{She} has had no contact with {her_p} family since {travel_month}.",
        "{She} was {age} at the time.",
    ),
}

#: method of control -> (first person, third person, first person negated, third negated).
CONTROL: dict[str, tuple[tuple[str, ...], ...]] = {
    "debt_bondage": (
        ("They said I owed {debt} for the journey and the room, and the debt only grew.",
         "{controller_first} said I had to pay back {debt} before I could leave."),
        ("{She} was told {she} owed {debt} for transport and accommodation.",
         "{controller} claimed a debt of {debt}, which kept increasing with fines."),
        ("Nobody ever said I owed money.",),
        ("{She} was not told of any debt.",),
    ),
    "withholds_documents": (
        ("{controller_first} took my passport and ID card when we arrived.",
         "They kept my passport 'for safety' and never gave it back."),
        ("{Her_p} passport was taken by {controller} on arrival.",
         "{Her_p} identity documents were kept by {controller}."),
        ("My passport was not taken, I kept it the whole time.",),
        ("{She} kept {her_p} own passport throughout.",),
    ),
    "restricts_movement": (
        ("We were locked in at night and could only go out with {controller_first}.",
         "I was never allowed to go out alone."),
        ("{She} was locked in the property and only allowed out when accompanied.",
         "{Her_p} movements were restricted and the doors were kept locked."),
        ("The door was not locked, but I had nowhere to go.",),
        ("{She} was not locked in but had nowhere else to go.",),
    ),
    "threats": (
        ("{controller_first} said {c_she} would hurt my family in {home} if I went to the police.",
         "They told me the police would put me in prison."),
        ("{controller} threatened to harm {her_p} family in {home_country}.",
         "{She} was told that the police would arrest {her} if {she} complained."),
        ("Nobody threatened my family.",),
        ("{She} reports no threats against {her_p} family.",),
    ),
    "takes_earnings": (
        ("{controller_first} took all my money.", "I never saw my wages."),
        ("{controller} took {her_p} earnings.", "{She} received almost none of {her_p} wages."),
        ("They let me keep a little money for food.",),
        ("{She} was allowed to keep some of {her_p} wages.",),
    ),
    "excessive_hours": (
        ("There was no day off, not even when I was sick.", "We started at {start} in the morning and finished after midnight."),
        ("{She} was given no days off and no breaks.", "{Her_p} shifts started at {start} and ran late into the night."),
        ("The hours were long but I had Sundays off.",),
        ("{She} had one day off each week.",),
    ),
    "physical_violence": (
        ("{controller_first} hit me when I refused.", "Once {c_she} beat me so badly I could not walk."),
        ("{She} was assaulted by {controller} when {she} refused to work.", "{controller} hit {her} on several occasions."),
        ("{controller_first} never hit me, but I was always afraid of {c_her}.", "Nobody hit me."),
        ("{She} said {controller} never hit {her}.", "{She} denies any physical violence."),
    ),
    "isolation": (
        ("They took my phone so I could not call home.", "I did not know the address or anyone outside."),
        ("{Her_p} phone was confiscated.", "{She} was isolated from other people and did not know the address."),
        ("I still had my phone and spoke to my mother sometimes.",),
        ("{She} kept {her_p} phone and was in contact with family.",),
    ),
}
