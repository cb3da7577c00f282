"""Reference data for realistic Indian pharmacy orders: names in several scripts, cities with
their PIN prefixes and localities, street parts, coupon codes, payment aggregators.

Data only, no constraints: whether a value is allowed is the spec's business, checked where
the values are used.  Within each table the shortest entries come first, because Hypothesis
shrinks `sampled_from` towards the first element and small counterexamples should read well.
"""

from __future__ import annotations

from dataclasses import dataclass

# (Latin transliteration, native spelling).  The Latin form feeds e-mail addresses.
NamePair = tuple[str, str]


@dataclass(frozen=True)
class Script:
    """Given and family names written in one script."""

    name: str
    given: tuple[NamePair, ...]
    family: tuple[NamePair, ...]


# fmt: off
LATIN = Script(
    "latin",
    given=tuple(
        (n, n)
        for n in (
            "Ravi", "Neha", "Ali", "Amit", "Zoya", "Arjun", "Priya", "Rahul", "Sneha", "Joseph",
            "Fatima", "Anjali", "Deepak", "Suresh", "Lakshmi", "Venkatesh",
        )
    ),
    family=tuple(
        (n, n)
        for n in (
            "Das", "Jain", "Khan", "Nair", "Iyer", "Shah", "Menon", "Reddy", "Patel", "Kumar",
            "Sharma", "Pillai", "D'Souza", "Banerjee", "Fernandes", "Chatterjee",
        )
    ),
)
DEVANAGARI = Script(
    "devanagari",
    given=(
        ("Ravi", "रवि"), ("Neha", "नेहा"), ("Amit", "अमित"), ("Pooja", "पूजा"),
        ("Rahul", "राहुल"), ("Priya", "प्रिया"), ("Aarav", "आरव"), ("Meera", "मीरा"),
        ("Ananya", "अनन्या"), ("Vikram", "विक्रम"), ("Sunita", "सुनीता"), ("Aditya", "आदित्य"),
    ),
    family=(
        ("Jain", "जैन"), ("Shah", "शाह"), ("Rao", "राव"), ("Singh", "सिंह"),
        ("Gupta", "गुप्ता"), ("Verma", "वर्मा"), ("Yadav", "यादव"), ("Sharma", "शर्मा"),
        ("Mishra", "मिश्रा"), ("Kulkarni", "कुलकर्णी"), ("Deshpande", "देशपांडे"),
    ),
)
TAMIL = Script(
    "tamil",
    given=(
        ("Anbu", "அன்பு"), ("Divya", "திவ்யா"), ("Murugan", "முருகன்"),
        ("Senthil", "செந்தில்"), ("Lakshmi", "லட்சுமி"), ("Karthik", "கார்த்திக்"),
    ),
    family=(("Iyer", "ஐயர்"), ("Raman", "ராமன்"), ("Pillai", "பிள்ளை")),
)
BENGALI = Script(
    "bengali",
    given=(
        ("Rina", "রিনা"), ("Arnab", "অর্ণব"), ("Sourav", "সৌরভ"), ("Ankita", "অঙ্কিতা"),
        ("Moumita", "মৌমিতা"),
    ),
    family=(
        ("Sen", "সেন"), ("Das", "দাস"), ("Bose", "বসু"), ("Ghosh", "ঘোষ"),
        ("Banerjee", "বন্দ্যোপাধ্যায়"), ("Chatterjee", "চট্টোপাধ্যায়"),
    ),
)
GUJARATI = Script(
    "gujarati",
    given=(("Jay", "જય"), ("Hetal", "હેતલ"), ("Nirav", "નિરવ"), ("Dhruv", "ધ્રુવ"), ("Krupa", "કૃપા")),
    family=(("Shah", "શાહ"), ("Patel", "પટેલ"), ("Mehta", "મહેતા"), ("Desai", "દેસાઈ")),
)
GURMUKHI = Script(
    "gurmukhi",
    given=(
        ("Simran", "ਸਿਮਰਨ"), ("Manjit", "ਮਨਜੀਤ"), ("Harpreet", "ਹਰਪ੍ਰੀਤ"),
        ("Gurpreet", "ਗੁਰਪ੍ਰੀਤ"),
    ),
    family=(("Gill", "ਗਿੱਲ"), ("Kaur", "ਕੌਰ"), ("Singh", "ਸਿੰਘ"), ("Sandhu", "ਸੰਧੂ")),
)
# fmt: on
# Latin first and most often: most orders are typed in Latin script, some in others.
SCRIPTS = (LATIN, LATIN, LATIN, DEVANAGARI, TAMIL, BENGALI, GUJARATI, GURMUKHI)


@dataclass(frozen=True)
class City:
    """A city, the first three digits of its PIN codes and some of its localities."""

    name: str
    pin_prefix: str
    localities: tuple[str, ...]


CITIES = (
    City("Pune", "411", ("Aundh", "Baner", "Kothrud", "Hadapsar", "Viman Nagar")),
    City("Patna", "800", ("Kankarbagh", "Boring Road", "Rajendra Nagar")),
    City("Kochi", "682", ("Vyttila", "Kakkanad", "Edappally", "Fort Kochi")),
    City("Delhi", "110", ("Saket", "Dwarka", "Rohini", "Karol Bagh", "Lajpat Nagar")),
    City("Jaipur", "302", ("C Scheme", "Mansarovar", "Malviya Nagar", "Vaishali Nagar")),
    City("Mumbai", "400", ("Dadar", "Powai", "Bandra", "Borivali", "Andheri West")),
    City("Chennai", "600", ("Adyar", "T Nagar", "Mylapore", "Velachery", "Anna Nagar")),
    City("Kolkata", "700", ("Behala", "Dum Dum", "Salt Lake", "Ballygunge", "Park Street")),
    City("Lucknow", "226", ("Aliganj", "Hazratganj", "Gomti Nagar", "Indira Nagar")),
    City("Guwahati", "781", ("Dispur", "Beltola", "Zoo Road")),
    City("Gurugram", "122", ("Sector 56", "Sohna Road", "DLF Phase 3")),
    City("Bengaluru", "560", ("Jayanagar", "Whitefield", "Koramangala", "Indiranagar")),
    City("Hyderabad", "500", ("Madhapur", "Gachibowli", "Kukatpally", "Banjara Hills")),
    City("Ahmedabad", "380", ("Bopal", "Satellite", "Maninagar", "Navrangpura", "Vastrapur")),
    City("Chandigarh", "160", ("Sector 17", "Sector 22", "Manimajra")),
)

# fmt: off
HOUSES = ("12", "#45", "B-14", "Plot 21", "Flat 302", "House No. 7", "Shop 3", "D-1102")
ROADS = (
    "MG Road", "Link Road", "Station Road", "Nehru Street", "1st Main Road", "4th Cross Road",
    "Gandhi Nagar", "Sai Residency", "Shanti Apartments", "Church Street", "Ring Road",
)
ROADS_DEVANAGARI = ("गांधी मार्ग", "स्टेशन रोड", "नेहरू नगर", "शांति अपार्टमेंट")
LANDMARKS = (
    "Bus Stand", "SBI ATM", "Shiv Mandir", "City Hospital", "Metro Station", "Apollo Pharmacy",
    "Government School",
)
ADDRESS_TYPES = ("home", "work", "other")
EMAIL_DOMAINS = ("gmail.com", "yahoo.co.in", "outlook.com", "rediffmail.com")
COUPONS = ("SAVE10", "CARE12", "1MGNEW", "FIRST50", "FLAT100", "MEDS15", "HEALTH20", "WELCOME25")
ORDER_ID_PREFIXES = ("ORD-", "MO", "CART_", "1MG-")
PRESCRIPTION_HOSTS = ("rx.example.com", "uploads.example.in", "cdn.example-pharmacy.in")
PRESCRIPTION_EXTENSIONS = ("jpg", "pdf", "png")
PAYMENT_AGGREGATORS = ("EKACARE", "PAYU", "RAZORPAY", "CASHFREE", "JUSPAY")
# fmt: on
ERROR_MESSAGES = (
    "create_merchant_order : invalid payable_amount",
    "create_merchant_order : sku not found",
    "create_merchant_order : coupon expired",
    "create_merchant_order : merchant_order_id already used",
)
