#!/usr/bin/env python3
"""Build (or check) Talento's reference-data seed files in seeds/.

Input : the French reference lists in ../shared/reference/*.csv (beside the repository) (override with --input or
        $TALENTO_REFERENCE_DIR).  French labels are facts: they are copied verbatim, row for row.
Output: seeds/*.csv (UTF-8, header row, RFC 4180 quoting, LF line endings) and seeds/README.md.

    python3 tools/seeds/build_seeds.py            # build / update seeds/
    python3 tools/seeds/build_seeds.py --check    # validate seeds/ (exit 1 with a message on any failure)

Stability rule: keys and city codes are identifiers stored in the database.  When a seed file already
exists, the key / code of every row it contains is PRESERVED (rows are matched on their French label);
only rows that have none get a new one.  Keys / codes of rows that disappeared from the input stay
reserved, so they are never handed to a different row.  English labels are (re)written from the
tables below, so they can be corrected at any time.

Everything translatable lives in the hand-written tables of this file.  A row without an English label
(or without a key) makes the script stop with an error: add it to the tables, never guess.

Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
import unicodedata
from collections import Counter, OrderedDict
from itertools import combinations
from pathlib import Path

SCRIPT_DIR = Path(__file__).resolve().parent
REPO_DIR = SCRIPT_DIR.parent.parent
DEFAULT_OUTPUT = REPO_DIR / "seeds"
DEFAULT_INPUT = Path(os.environ.get("TALENTO_REFERENCE_DIR", str(Path(__file__).resolve().parents[3] / "shared" / "reference")))

UNLISTED_CODE = "VNL"
UNLISTED_FR = "Ville non listée"
UNLISTED_EN = "Unlisted city"

# Expected content of seeds/ (the spec).  Update together with the reference data.
EXPECTED_ROWS = {
    "countries.csv": 194,
    "cities.csv": 2030,  # 1,836 reference cities + one "Ville non listée" per country
    "currencies.csv": 77,
    "talent_categories.csv": 19,
    "talents.csv": 188,
    "cinema_talent_types.csv": 13,
    "languages.csv": 60,
    "physical_traits.csv": 58,
    "availability.csv": 9,
    "work_modes.csv": 3,
}
EXPECTED_CATEGORIES_PER_TAG = {"general": 12, "cinema": 7}
EXPECTED_TALENTS_PER_TAG = {"general": 131, "cinema": 57}
EXPECTED_TRAITS = {"eye_color": 12, "hair_color": 16, "hair_type": 10, "skin_tone": 10, "build": 10}

HEADERS = {
    "countries.csv": ["iso2", "name_fr", "name_en", "nationality_fr", "nationality_en"],
    "cities.csv": ["country_iso2", "code", "name_fr", "name_en"],
    "currencies.csv": ["country_iso2", "currency", "symbol", "name_fr", "name_en"],
    "talent_categories.csv": ["tag", "key", "name_fr", "name_en", "emoji"],
    "talents.csv": ["tag", "category_key", "key", "name_fr", "name_en"],
    "cinema_talent_types.csv": ["key", "name_fr", "name_en"],
    "languages.csv": ["key", "name_fr", "name_en", "flag"],
    "physical_traits.csv": ["trait", "key", "name_fr", "name_en"],
    "availability.csv": ["key", "name_fr", "name_en", "label_fr", "label_en"],
    "work_modes.csv": ["key", "name_fr", "name_en"],
}
OPTIONAL_COLUMNS = {"talent_categories.csv": {"emoji"}, "languages.csv": {"flag"}}

KEY_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
KEY_MAX = 40
CODE_RE = re.compile(r"^[A-Z]{3}$")

# ---------------------------------------------------------------------------------------------------
# Countries: iso2 -> (name_en, nationality_en).  English demonyms as adjectives, en-GB spelling.
# ---------------------------------------------------------------------------------------------------
COUNTRIES_EN = {
    "AF": ("Afghanistan", "Afghan"),
    "ZA": ("South Africa", "South African"),
    "AL": ("Albania", "Albanian"),
    "DZ": ("Algeria", "Algerian"),
    "DE": ("Germany", "German"),
    "AD": ("Andorra", "Andorran"),
    "AO": ("Angola", "Angolan"),
    "AG": ("Antigua and Barbuda", "Antiguan"),
    "SA": ("Saudi Arabia", "Saudi"),
    "AR": ("Argentina", "Argentine"),
    "AM": ("Armenia", "Armenian"),
    "AU": ("Australia", "Australian"),
    "AT": ("Austria", "Austrian"),
    "AZ": ("Azerbaijan", "Azerbaijani"),
    "BS": ("Bahamas", "Bahamian"),
    "BH": ("Bahrain", "Bahraini"),
    "BD": ("Bangladesh", "Bangladeshi"),
    "BB": ("Barbados", "Barbadian"),
    "BY": ("Belarus", "Belarusian"),
    "BE": ("Belgium", "Belgian"),
    "BZ": ("Belize", "Belizean"),
    "BJ": ("Benin", "Beninese"),
    "BT": ("Bhutan", "Bhutanese"),
    "BO": ("Bolivia", "Bolivian"),
    "BA": ("Bosnia and Herzegovina", "Bosnian"),
    "BW": ("Botswana", "Botswanan"),
    "BR": ("Brazil", "Brazilian"),
    "BN": ("Brunei", "Bruneian"),
    "BG": ("Bulgaria", "Bulgarian"),
    "BF": ("Burkina Faso", "Burkinabè"),
    "BI": ("Burundi", "Burundian"),
    "KH": ("Cambodia", "Cambodian"),
    "CM": ("Cameroon", "Cameroonian"),
    "CA": ("Canada", "Canadian"),
    "CV": ("Cape Verde", "Cape Verdean"),
    "CL": ("Chile", "Chilean"),
    "CN": ("China", "Chinese"),
    "CY": ("Cyprus", "Cypriot"),
    "CO": ("Colombia", "Colombian"),
    "KM": ("Comoros", "Comorian"),
    "CG": ("Republic of the Congo", "Congolese (Congo-Brazzaville)"),
    "KP": ("North Korea", "North Korean"),
    "KR": ("South Korea", "South Korean"),
    "CR": ("Costa Rica", "Costa Rican"),
    "CI": ("Côte d'Ivoire", "Ivorian"),
    "HR": ("Croatia", "Croatian"),
    "CU": ("Cuba", "Cuban"),
    "DK": ("Denmark", "Danish"),
    "DJ": ("Djibouti", "Djiboutian"),
    "DM": ("Dominica", "Dominican (Dominica)"),
    "EG": ("Egypt", "Egyptian"),
    "AE": ("United Arab Emirates", "Emirati"),
    "EC": ("Ecuador", "Ecuadorian"),
    "ER": ("Eritrea", "Eritrean"),
    "ES": ("Spain", "Spanish"),
    "EE": ("Estonia", "Estonian"),
    "SZ": ("Eswatini", "Swazi"),
    "US": ("United States", "American"),
    "ET": ("Ethiopia", "Ethiopian"),
    "FJ": ("Fiji", "Fijian"),
    "FI": ("Finland", "Finnish"),
    "FR": ("France", "French"),
    "GA": ("Gabon", "Gabonese"),
    "GM": ("Gambia", "Gambian"),
    "GE": ("Georgia", "Georgian"),
    "GH": ("Ghana", "Ghanaian"),
    "GR": ("Greece", "Greek"),
    "GD": ("Grenada", "Grenadian"),
    "GT": ("Guatemala", "Guatemalan"),
    "GN": ("Guinea", "Guinean"),
    "GW": ("Guinea-Bissau", "Bissau-Guinean"),
    "GQ": ("Equatorial Guinea", "Equatorial Guinean"),
    "GY": ("Guyana", "Guyanese"),
    "HT": ("Haiti", "Haitian"),
    "HN": ("Honduras", "Honduran"),
    "HU": ("Hungary", "Hungarian"),
    "IN": ("India", "Indian"),
    "ID": ("Indonesia", "Indonesian"),
    "IQ": ("Iraq", "Iraqi"),
    "IR": ("Iran", "Iranian"),
    "IE": ("Ireland", "Irish"),
    "IS": ("Iceland", "Icelandic"),
    "IL": ("Israel", "Israeli"),
    "IT": ("Italy", "Italian"),
    "JM": ("Jamaica", "Jamaican"),
    "JP": ("Japan", "Japanese"),
    "JO": ("Jordan", "Jordanian"),
    "KZ": ("Kazakhstan", "Kazakhstani"),
    "KE": ("Kenya", "Kenyan"),
    "KG": ("Kyrgyzstan", "Kyrgyz"),
    "KI": ("Kiribati", "I-Kiribati"),
    "KW": ("Kuwait", "Kuwaiti"),
    "LA": ("Laos", "Laotian"),
    "LS": ("Lesotho", "Mosotho"),
    "LV": ("Latvia", "Latvian"),
    "LB": ("Lebanon", "Lebanese"),
    "LR": ("Liberia", "Liberian"),
    "LY": ("Libya", "Libyan"),
    "LI": ("Liechtenstein", "Liechtensteiner"),
    "LT": ("Lithuania", "Lithuanian"),
    "LU": ("Luxembourg", "Luxembourgish"),
    "MK": ("North Macedonia", "Macedonian"),
    "MG": ("Madagascar", "Malagasy"),
    "MY": ("Malaysia", "Malaysian"),
    "MW": ("Malawi", "Malawian"),
    "MV": ("Maldives", "Maldivian"),
    "ML": ("Mali", "Malian"),
    "MT": ("Malta", "Maltese"),
    "MA": ("Morocco", "Moroccan"),
    "MU": ("Mauritius", "Mauritian"),
    "MR": ("Mauritania", "Mauritanian"),
    "MX": ("Mexico", "Mexican"),
    "FM": ("Micronesia", "Micronesian"),
    "MD": ("Moldova", "Moldovan"),
    "MC": ("Monaco", "Monegasque"),
    "MN": ("Mongolia", "Mongolian"),
    "ME": ("Montenegro", "Montenegrin"),
    "MZ": ("Mozambique", "Mozambican"),
    "MM": ("Myanmar", "Burmese"),
    "NA": ("Namibia", "Namibian"),
    "NR": ("Nauru", "Nauruan"),
    "NP": ("Nepal", "Nepalese"),
    "NI": ("Nicaragua", "Nicaraguan"),
    "NE": ("Niger", "Nigerien"),
    "NG": ("Nigeria", "Nigerian"),
    "NO": ("Norway", "Norwegian"),
    "NZ": ("New Zealand", "New Zealander"),
    "OM": ("Oman", "Omani"),
    "UG": ("Uganda", "Ugandan"),
    "UZ": ("Uzbekistan", "Uzbek"),
    "PK": ("Pakistan", "Pakistani"),
    "PW": ("Palau", "Palauan"),
    "PS": ("Palestine", "Palestinian"),
    "PA": ("Panama", "Panamanian"),
    "PG": ("Papua New Guinea", "Papua New Guinean"),
    "PY": ("Paraguay", "Paraguayan"),
    "NL": ("Netherlands", "Dutch"),
    "PE": ("Peru", "Peruvian"),
    "PH": ("Philippines", "Filipino"),
    "PL": ("Poland", "Polish"),
    "PT": ("Portugal", "Portuguese"),
    "QA": ("Qatar", "Qatari"),
    "CD": ("Democratic Republic of the Congo", "Congolese (DRC)"),
    "CF": ("Central African Republic", "Central African"),
    "DO": ("Dominican Republic", "Dominican (Dominican Republic)"),
    "RO": ("Romania", "Romanian"),
    "GB": ("United Kingdom", "British"),
    "RU": ("Russia", "Russian"),
    "RW": ("Rwanda", "Rwandan"),
    "KN": ("Saint Kitts and Nevis", "Kittitian"),
    "LC": ("Saint Lucia", "Saint Lucian"),
    "SM": ("San Marino", "Sammarinese"),
    "VC": ("Saint Vincent and the Grenadines", "Vincentian"),
    "SB": ("Solomon Islands", "Solomon Islander"),
    "SV": ("El Salvador", "Salvadoran"),
    "WS": ("Samoa", "Samoan"),
    "ST": ("São Tomé and Príncipe", "São Toméan"),
    "SN": ("Senegal", "Senegalese"),
    "RS": ("Serbia", "Serbian"),
    "SC": ("Seychelles", "Seychellois"),
    "SL": ("Sierra Leone", "Sierra Leonean"),
    "SG": ("Singapore", "Singaporean"),
    "SK": ("Slovakia", "Slovak"),
    "SI": ("Slovenia", "Slovenian"),
    "SO": ("Somalia", "Somali"),
    "SD": ("Sudan", "Sudanese"),
    "SS": ("South Sudan", "South Sudanese"),
    "LK": ("Sri Lanka", "Sri Lankan"),
    "SE": ("Sweden", "Swedish"),
    "CH": ("Switzerland", "Swiss"),
    "SR": ("Suriname", "Surinamese"),
    "SY": ("Syria", "Syrian"),
    "TJ": ("Tajikistan", "Tajik"),
    "TZ": ("Tanzania", "Tanzanian"),
    "TD": ("Chad", "Chadian"),
    "CZ": ("Czechia", "Czech"),
    "TH": ("Thailand", "Thai"),
    "TL": ("Timor-Leste", "East Timorese"),
    "TG": ("Togo", "Togolese"),
    "TO": ("Tonga", "Tongan"),
    "TT": ("Trinidad and Tobago", "Trinidadian"),
    "TN": ("Tunisia", "Tunisian"),
    "TM": ("Turkmenistan", "Turkmen"),
    "TR": ("Turkey", "Turkish"),
    "TV": ("Tuvalu", "Tuvaluan"),
    "UA": ("Ukraine", "Ukrainian"),
    "UY": ("Uruguay", "Uruguayan"),
    "VU": ("Vanuatu", "Ni-Vanuatu"),
    "VA": ("Vatican City", "Vatican"),
    "VE": ("Venezuela", "Venezuelan"),
    "VN": ("Vietnam", "Vietnamese"),
    "YE": ("Yemen", "Yemeni"),
    "ZM": ("Zambia", "Zambian"),
    "ZW": ("Zimbabwe", "Zimbabwean"),
}

# ---------------------------------------------------------------------------------------------------
# Cities: usual English names (English Wikipedia usage) where they differ from the French name.
# Any city not listed keeps its French name in English.
# ---------------------------------------------------------------------------------------------------
CITY_EXONYMS = {
    "MA": {"Al Hoceïma": "Al Hoceima", "Fès": "Fez", "Kénitra": "Kenitra", "Marrakech": "Marrakesh",
           "Meknès": "Meknes", "Tanger": "Tangier"},
    "CA": {"Montréal": "Montreal", "Québec": "Quebec City"},
    "GB": {"Londres": "London", "Édimbourg": "Edinburgh"},
    "DE": {"Hambourg": "Hamburg", "Francfort": "Frankfurt"},
    "ES": {"Barcelone": "Barcelona", "Valence": "Valencia", "Séville": "Seville", "Saragosse": "Zaragoza",
           "Malaga": "Málaga", "Murcie": "Murcia", "Palma de Majorque": "Palma de Mallorca"},
    "IT": {"Palerme": "Palermo", "Gênes": "Genoa", "Bologne": "Bologna", "Catane": "Catania"},
    "BE": {"Bruxelles": "Brussels", "Anvers": "Antwerp", "Gand": "Ghent", "Louvain": "Leuven",
           "Malines": "Mechelen"},
    "CH": {"Genève": "Geneva", "Bâle": "Basel", "Berne": "Bern", "Winterthour": "Winterthur",
           "St-Gall": "St. Gallen", "Bienne": "Biel/Bienne"},
    "NL": {"La Haye": "The Hague", "Groningue": "Groningen", "Nimègue": "Nijmegen"},
    "DZ": {"Alger": "Algiers"},
    "EG": {"Le Caire": "Cairo", "Alexandrie": "Alexandria", "Gizeh": "Giza", "Shubra El-Kheima": "Shubra El Kheima",
           "Port-Saïd": "Port Said", "Louxor": "Luxor", "Mansourah": "Mansoura",
           "El-Mahalla El-Kubra": "El Mahalla El Kubra"},
    "AE": {"Dubaï": "Dubai", "Abou Dabi": "Abu Dhabi", "Charjah": "Sharjah", "Al Aïn": "Al Ain",
           "Ras el Khaïmah": "Ras Al Khaimah", "Fujaïrah": "Fujairah", "Umm al Qaïwaïn": "Umm Al Quwain"},
    "SA": {"Riyad": "Riyadh", "Djeddah": "Jeddah", "La Mecque": "Mecca", "Médine": "Medina", "Taëf": "Taif"},
    "CN": {"Pékin": "Beijing"},
    "AU": {"Adélaïde": "Adelaide"},
    "MX": {"Mexico": "Mexico City"},
    "ML": {"Tombouctou": "Timbuktu"},
    "ET": {"Addis-Abeba": "Addis Ababa", "Mekele": "Mekelle"},
    "LB": {"Beyrouth": "Beirut", "Tyr": "Tyre"},
    "KW": {"Koweït City": "Kuwait City"},
    "PT": {"Lisbonne": "Lisbon"},
    "PL": {"Varsovie": "Warsaw", "Cracovie": "Kraków"},
    "RO": {"Bucarest": "Bucharest"},
    "GR": {"Athènes": "Athens", "Thessalonique": "Thessaloniki", "Héraklion": "Heraklion"},
    "SE": {"Göteborg": "Gothenburg"},
    "DK": {"Copenhague": "Copenhagen"},
    "AT": {"Vienne": "Vienna", "Salzbourg": "Salzburg", "Sankt Pölten": "St. Pölten"},
    "VN": {"Hô Chi Minh-Ville": "Ho Chi Minh City", "Hanoï": "Hanoi", "Hai Phong": "Haiphong"},
    "PH": {"Manille": "Manila"},
    "SG": {"Singapour": "Singapore"},
    "KR": {"Séoul": "Seoul"},
    "RU": {"Moscou": "Moscow", "Saint-Pétersbourg": "Saint Petersburg", "Novossibirsk": "Novosibirsk",
           "Ekaterinbourg": "Yekaterinburg", "Nijni Novgorod": "Nizhny Novgorod", "Tcheliabinsk": "Chelyabinsk",
           "Rostov-sur-le-Don": "Rostov-on-Don", "Oufa": "Ufa", "Krasnoïarsk": "Krasnoyarsk",
           "Voronej": "Voronezh"},
    "IR": {"Téhéran": "Tehran", "Orumiyeh": "Urmia"},
    "IQ": {"Bagdad": "Baghdad", "Bassorah": "Basra", "Mossoul": "Mosul", "Souleïmaniye": "Sulaymaniyah",
           "Kirkouk": "Kirkuk", "Nadjaf": "Najaf", "Kerbala": "Karbala", "Nasiriya": "Nasiriyah",
           "Diwaniya": "Diwaniyah", "Falloujah": "Fallujah", "Dahuk": "Duhok"},
    "SY": {"Damas": "Damascus", "Alep": "Aleppo", "Lattaquié": "Latakia", "Tartous": "Tartus",
           "Palmyre": "Palmyra"},
    "AF": {"Kaboul": "Kabul", "Mazar-e-Charif": "Mazar-i-Sharif", "Puli Khumri": "Pul-e Khumri"},
    "LY": {"Tobrouk": "Tobruk", "Syrte": "Sirte", "Zaouïa": "Zawiya", "Koufra": "Kufra", "Toukra": "Tocra"},
    "SD": {"Khartoum Nord": "Khartoum North", "Port-Soudan": "Port Sudan", "El-Obeid": "El Obeid"},
    "UA": {"Kiev": "Kyiv", "Odessa": "Odesa", "Zaporijjia": "Zaporizhzhia", "Kryvyï Rih": "Kryvyi Rih",
           "Mykolaïv": "Mykolaiv", "Marioupol": "Mariupol", "Louhansk": "Luhansk", "Sébastopol": "Sevastopol"},
    # "Kururenegala" is a misspelling of Kurunegala in the reference list; the French column keeps it as is.
    "LK": {"Kururenegala": "Kurunegala"},
    "MM": {"Rangoun": "Yangon"},
    "NP": {"Katmandou": "Kathmandu"},
    "KZ": {"Chimkent": "Shymkent"},
    "UZ": {"Tachkent": "Tashkent", "Samarcande": "Samarkand", "Boukhara": "Bukhara", "Noukous": "Nukus",
           "Karchi": "Qarshi", "Tchirtchik": "Chirchiq", "Navoï": "Navoiy", "Djizak": "Jizzakh",
           "Ourguentch": "Urgench"},
    "AZ": {"Bakou": "Baku", "Gandja": "Ganja", "Soumgaït": "Sumgait", "Mingatchevir": "Mingachevir",
           "Nakhitchevan": "Nakhchivan"},
    "GE": {"Tbilissi": "Tbilisi", "Koutaïssi": "Kutaisi", "Batoumi": "Batumi", "Roustavi": "Rustavi",
           "Zougdidi": "Zugdidi", "Soukhoumi": "Sukhumi"},
    "AM": {"Erevan": "Yerevan"},
    "IL": {"Jérusalem": "Jerusalem", "Haïfa": "Haifa", "Beer Sheva": "Beersheba"},
    "PS": {"Khan Younès": "Khan Yunis", "Hébron": "Hebron", "Naplouse": "Nablus", "Bethléem": "Bethlehem",
           "Jéricho": "Jericho", "Tulkarem": "Tulkarm", "Jenine": "Jenin"},
    "YE": {"Taïz": "Taiz", "Hodeïda": "Hodeidah", "Saïoun": "Seiyun"},
    "OM": {"Mascate": "Muscat", "Salala": "Salalah"},
    "CU": {"La Havane": "Havana"},
    "DO": {"Saint-Domingue": "Santo Domingo"},
    "TT": {"Port-d'Espagne": "Port of Spain"},
    "MT": {"San Pawl il-Baħar": "St. Paul's Bay", "La Valette": "Valletta"},
    "CY": {"Nicosie": "Nicosia", "Famagouste": "Famagusta"},
    "MN": {"Oulan-Bator": "Ulaanbaatar"},
    "LA": {"Paksé": "Pakse"},
    "AD": {"Andorre-la-Vieille": "Andorra la Vella"},
    "BY": {"Moguilev": "Mogilev"},
    "BT": {"Thimphou": "Thimphu"},
    "DJ": {"Tadjourah": "Tadjoura"},
    "ER": {"Massaoua": "Massawa"},
    "GD": {"Saint-Georges": "St. George's"},
    "KG": {"Bichkek": "Bishkek"},
    "KI": {"Tarawa-Sud": "South Tarawa"},
    "MU": {"Port-Louis": "Port Louis"},
    "AG": {"Saint John's": "St. John's"},
    "VU": {"Port-Vila": "Port Vila"},
    "MC": {"Monte-Carlo": "Monte Carlo"},
    "SM": {"Saint-Marin": "San Marino"},
    "VA": {"Vatican": "Vatican City"},
}

# ---------------------------------------------------------------------------------------------------
# Currencies (ISO 4217).
# ---------------------------------------------------------------------------------------------------
# Codes that are current in ISO 4217 (as of 2024-2025) and that this list may use.
ISO4217_CURRENT = {
    "AED", "AOA", "BIF", "BRL", "BWP", "CAD", "CDF", "CHF", "CNY", "CVE", "DJF", "DZD", "EGP", "ERN", "ETB",
    "EUR", "GBP", "GHS", "GMD", "GNF", "INR", "JPY", "KES", "KMF", "LRD", "LSL", "LYD", "MAD", "MGA", "MRU",
    "MUR", "MWK", "MXN", "MZN", "NAD", "NGN", "RSD", "RUB", "RWF", "SAR", "SCR", "SDG", "SLE", "SOS", "SSP", "STN",
    "SZL", "TND", "TRY", "TZS", "UGX", "USD", "VES", "XAF", "XOF", "ZAR", "ZMW", "ZWG",
}
# Outdated code -> (current code, symbol, name_fr or None to keep the input's, what happened).
CURRENCY_CORRECTIONS = {
    "SLL": ("SLE", "SLE", None, "Sierra Leone: leone redenominated (1 SLE = 1,000 SLL) in 2022; SLL withdrawn"),
    "ZWL": ("ZWG", "ZWG", "Zimbabwe Gold (ZiG)",
            "Zimbabwe: the Zimbabwe dollar (ZWL) was replaced by the Zimbabwe Gold (ZiG, ZWG) in 2024"),
    "MRO": ("MRU", "MRU", None, "Mauritania: ouguiya redenominated in 2018"),
    "STD": ("STN", "STN", None, "São Tomé and Príncipe: dobra redenominated in 2018"),
    "ZMK": ("ZMW", "ZMW", None, "Zambia: kwacha redenominated in 2013"),
    "GHC": ("GHS", "GHS", None, "Ghana: cedi redenominated in 2007"),
    "HRK": ("EUR", "€", "Euro", "Croatia adopted the euro on 2023-01-01"),
    "VEF": ("VES", "VES", None, "Venezuela: bolívar soberano since 2018"),
    "MGF": ("MGA", "MGA", None, "Madagascar: ariary replaced the Malagasy franc in 2005"),
    "MZM": ("MZN", "MZN", None, "Mozambique: metical redenominated in 2006"),
    "SDD": ("SDG", "SDG", None, "Sudan: pound replaced the dinar in 2007"),
    "CSD": ("RSD", "RSD", None, "Serbia: dinar code changed in 2006"),
    "TRL": ("TRY", "TRY", None, "Turkey: lira redenominated in 2005"),
    "ZWD": ("ZWG", "ZWG", "Zimbabwe Gold (ZiG)", "Zimbabwe: see ZWL"),
    "ZWR": ("ZWG", "ZWG", "Zimbabwe Gold (ZiG)", "Zimbabwe: see ZWL"),
}
# currency code -> name_en (the input's French names are kept).
CURRENCY_NAMES_EN = {
    "MAD": "Moroccan dirham", "DZD": "Algerian dinar", "TND": "Tunisian dinar", "LYD": "Libyan dinar",
    "EGP": "Egyptian pound", "MRU": "Mauritanian ouguiya", "XOF": "CFA franc (BCEAO)", "XAF": "CFA franc (BEAC)",
    "GMD": "Gambian dalasi", "GNF": "Guinean franc", "SLE": "Sierra Leonean leone", "LRD": "Liberian dollar",
    "GHS": "Ghanaian cedi", "NGN": "Nigerian naira", "CDF": "Congolese franc", "AOA": "Angolan kwanza",
    "SDG": "Sudanese pound", "SSP": "South Sudanese pound", "ETB": "Ethiopian birr", "ERN": "Eritrean nakfa",
    "DJF": "Djiboutian franc", "SOS": "Somali shilling", "KES": "Kenyan shilling", "UGX": "Ugandan shilling",
    "RWF": "Rwandan franc", "BIF": "Burundian franc", "TZS": "Tanzanian shilling", "MWK": "Malawian kwacha",
    "MZN": "Mozambican metical", "ZWG": "Zimbabwe Gold (ZiG)", "ZMW": "Zambian kwacha", "BWP": "Botswana pula",
    "NAD": "Namibian dollar", "ZAR": "South African rand", "LSL": "Lesotho loti", "SZL": "Swazi lilangeni",
    "MGA": "Malagasy ariary", "MUR": "Mauritian rupee", "KMF": "Comorian franc", "SCR": "Seychellois rupee",
    "CVE": "Cape Verdean escudo", "STN": "São Tomé and Príncipe dobra", "EUR": "Euro", "GBP": "Pound sterling",
    "USD": "US dollar", "CAD": "Canadian dollar", "CHF": "Swiss franc", "CNY": "Chinese yuan",
    "JPY": "Japanese yen", "INR": "Indian rupee", "BRL": "Brazilian real", "MXN": "Mexican peso",
    "RUB": "Russian rouble", "TRY": "Turkish lira", "SAR": "Saudi riyal", "AED": "UAE dirham",
    "VES": "Venezuelan bolívar", "RSD": "Serbian dinar",
}
CFA_SYMBOLS = {"XOF": "FCFA", "XAF": "FCFA"}

# ---------------------------------------------------------------------------------------------------
# Talent categories: (tag, category_fr) -> (key, name_en)
# ---------------------------------------------------------------------------------------------------
CATEGORIES = {
    ("cinema", "Talents artistiques et créatifs"): ("artistic_creative", "Artistic and creative talents"),
    ("cinema", "Compétences physiques et sportives"): ("physical_sports", "Physical and sports skills"),
    ("cinema", "Compétences manuelles et artisanales"): ("manual_crafts", "Manual and craft skills"),
    ("cinema", "Compétences sociales et linguistiques"): ("social_language", "Social and language skills"),
    ("cinema", "Compétences techniques diverses"): ("technical_misc", "Miscellaneous technical skills"),
    ("cinema", "Expériences professionnelles variées valorisantes"):
        ("work_experience", "Varied and valuable work experience"),
    ("cinema", "Qualités humaines et habitudes de vie"): ("personal_qualities", "Personal qualities and lifestyle"),
    ("general", "Services à la personne"): ("personal_services", "Personal and home services"),
    ("general", "Bâtiment, chantier et maintenance"):
        ("construction_maintenance", "Construction, building sites and maintenance"),
    ("general", "Logistique et transport"): ("logistics_transport", "Logistics and transport"),
    ("general", "Commerce et vente"): ("retail_sales", "Retail and sales"),
    ("general", "Multimédia et création digitale"): ("multimedia_digital", "Multimedia and digital creation"),
    ("general", "Communication et marketing"): ("communication_marketing", "Communication and marketing"),
    ("general", "Santé et bien-être"): ("health_wellbeing", "Health and wellbeing"),
    ("general", "Éducation et pédagogie"): ("education_teaching", "Education and teaching"),
    ("general", "Art, culture et spectacle"): ("arts_culture_entertainment", "Arts, culture and entertainment"),
    ("general", "Services administratifs"): ("administrative_services", "Administrative services"),
    ("general", "Informatique et technique"): ("it_technical", "IT and technical"),
    ("general", "Services spécialisés"): ("specialist_services", "Specialist services"),
}

# Talents: (tag, talent_fr) -> (key, name_en).  Keys are unique within a tag.
TALENTS = {
    # --- cinema: Talents artistiques et créatifs
    ("cinema", "Danse (classique, hip-hop, contemporain, folklorique, etc.)"):
        ("dance", "Dance (classical, hip-hop, contemporary, folk, etc.)"),
    ("cinema", "Chant / chant choral / chant lyrique"): ("singing", "Singing / choral singing / opera singing"),
    ("cinema", "Dessin et peinture (aquarelle, huile, art plastique)"):
        ("drawing_painting", "Drawing and painting (watercolour, oil, visual arts)"),
    ("cinema", "Photographie amateur ou avancée"): ("photography", "Photography (amateur or advanced)"),
    ("cinema", "Sculpture"): ("sculpture", "Sculpture"),
    ("cinema", "Tatouage (pratique artistique)"): ("tattooing", "Tattooing (as an art)"),
    ("cinema", "Musique (jouer d'un ou plusieurs instruments)"):
        ("music_instruments", "Music (playing one or more instruments)"),
    ("cinema", "Écriture créative (poésie, nouvelle, récits)"):
        ("creative_writing", "Creative writing (poetry, short stories, narratives)"),
    ("cinema", "Calligraphie"): ("calligraphy", "Calligraphy"),
    ("cinema", "Artisanat d'art (couture, bijouterie, poterie)"):
        ("arts_and_crafts", "Arts and crafts (sewing, jewellery making, pottery)"),
    ("cinema", "Décoration d'intérieur"): ("interior_decoration", "Interior decoration"),
    ("cinema", "Maquillage artistique (hors effets spéciaux)"):
        ("artistic_makeup", "Artistic make-up (excluding special effects)"),
    # --- cinema: Compétences physiques et sportives
    ("cinema", "Arts martiaux (karaté, judo, taekwondo, krav maga, etc.)"):
        ("martial_arts", "Martial arts (karate, judo, taekwondo, Krav Maga, etc.)"),
    ("cinema", "Yoga, pilates, méditation"): ("yoga_pilates_meditation", "Yoga, Pilates, meditation"),
    ("cinema", "Gymnastique, acrobaties, parkour"): ("gymnastics_acrobatics", "Gymnastics, acrobatics, parkour"),
    ("cinema", "Boxe / lutte"): ("boxing_wrestling", "Boxing / wrestling"),
    ("cinema", "Escalade"): ("climbing", "Climbing"),
    ("cinema", "Sports d'endurance (course, natation)"): ("endurance_sports", "Endurance sports (running, swimming)"),
    ("cinema", "Danse sportive"): ("dancesport", "Dancesport (competitive dance)"),
    ("cinema", "Équitation"): ("horse_riding", "Horse riding"),
    ("cinema", "Skateboard, roller, BMX"): ("skateboard_roller_bmx", "Skateboarding, roller skating, BMX"),
    ("cinema", "Natation synchronisée"): ("synchronised_swimming", "Synchronised swimming"),
    # --- cinema: Compétences manuelles et artisanales
    ("cinema", "Couture / stylisme / modélisme"):
        ("sewing_fashion_design", "Sewing / fashion design / pattern making"),
    ("cinema", "Jardinage / horticulture / permaculture"):
        ("gardening", "Gardening / horticulture / permaculture"),
    ("cinema", "Travail du bois / sculpture sur bois"): ("woodworking", "Woodworking / wood carving"),
    ("cinema", "Restauration d'objets anciens / antiquités"):
        ("antique_restoration", "Restoration of old objects / antiques"),
    ("cinema", "Travail du cuir"): ("leatherwork", "Leatherwork"),
    ("cinema", "Ferronnerie d'art"): ("ornamental_ironwork", "Ornamental ironwork"),
    ("cinema", "Pâtisserie / cuisine gastronomique / cuisine internationale"):
        ("pastry_fine_cooking", "Pastry / gourmet cooking / international cuisine"),
    ("cinema", "Atelier poterie / céramique"): ("pottery_ceramics", "Pottery / ceramics"),
    # --- cinema: Compétences sociales et linguistiques
    ("cinema", "Multilinguisme (parler plusieurs langues)"):
        ("multilingualism", "Multilingualism (speaking several languages)"),
    ("cinema", "Communication interculturelle"): ("intercultural_communication", "Intercultural communication"),
    ("cinema", "Animation de groupe et prise de parole"):
        ("group_facilitation_public_speaking", "Group facilitation and public speaking"),
    ("cinema", "Leadership / gestion d'équipe"): ("leadership_team_management", "Leadership / team management"),
    ("cinema", "Empathie et écoute active"): ("empathy_active_listening", "Empathy and active listening"),
    ("cinema", "Gestion et résolution des conflits"):
        ("conflict_resolution", "Conflict management and resolution"),
    ("cinema", "Négociation commerciale"): ("business_negotiation", "Business negotiation"),
    # --- cinema: Compétences techniques diverses
    ("cinema", "Montage vidéo amateur / production multimédia amateur"):
        ("amateur_video_editing", "Amateur video editing / multimedia production"),
    ("cinema", "Graphisme amateur (photoshop, dessin numérique)"):
        ("amateur_graphic_design", "Amateur graphic design (Photoshop, digital drawing)"),
    ("cinema", "Gestion et animation de réseaux sociaux"):
        ("social_media_management", "Social media management and community engagement"),
    ("cinema", "Programmation informatique basique / web personnel"):
        ("basic_programming", "Basic programming / personal websites"),
    ("cinema", "Utilisation avancée de logiciels bureautiques"):
        ("advanced_office_software", "Advanced use of office software"),
    ("cinema", "Gestion simple de base de données"): ("basic_database_management", "Basic database management"),
    ("cinema", "Photographie numérique"): ("digital_photography", "Digital photography"),
    # --- cinema: Expériences professionnelles variées valorisantes
    ("cinema", "Vente et commerce"): ("sales_retail", "Sales and retail"),
    ("cinema", "Expérience en marchés artisanaux / foires"):
        ("craft_markets_fairs", "Experience at craft markets / fairs"),
    ("cinema", "Travail en salon de tatouage (hors rôle d'acteur)"):
        ("tattoo_studio_work", "Work in a tattoo studio (real experience, not a role)"),
    ("cinema", "Organisation événementielle et animation de loisirs"):
        ("event_planning_leisure", "Event planning and leisure activities"),
    ("cinema", "Expérience dans la restauration ou hôtellerie"):
        ("hospitality_experience", "Experience in restaurants or hotels"),
    ("cinema", "Travail associatif / bénévolat"): ("volunteering", "Community work / volunteering"),
    # --- cinema: Qualités humaines et habitudes de vie
    ("cinema", "Polyvalence"): ("versatility", "Versatility"),
    ("cinema", "Adaptabilité"): ("adaptability", "Adaptability"),
    ("cinema", "Discipline et autonomie"): ("discipline_autonomy", "Discipline and independence"),
    ("cinema", "Résistance au stress"): ("stress_resilience", "Stress resilience"),
    ("cinema", "Sens de l'organisation"): ("organisational_skills", "Organisational skills"),
    ("cinema", "Curiosité intellectuelle"): ("intellectual_curiosity", "Intellectual curiosity"),
    ("cinema", "Esprit d'équipe"): ("team_spirit", "Team spirit"),
    # --- general: Services à la personne
    ("general", "Entretien à domicile"): ("home_upkeep", "Home upkeep"),
    ("general", "Baby-sitting"): ("babysitting", "Babysitting"),
    ("general", "Assistance aux familles"): ("family_support", "Family support"),
    ("general", "Garde d'enfants"): ("childcare", "Childcare"),
    ("general", "Soutien scolaire"): ("homework_help", "Homework help"),
    ("general", "Aide aux personnes âgées"): ("elderly_care", "Elderly care"),
    ("general", "Auxiliaire de vie"): ("care_assistant", "Care assistant"),
    ("general", "Cuisinier à domicile"): ("personal_chef", "Personal chef"),
    ("general", "Coach personnel"): ("personal_coach", "Personal coach"),
    ("general", "Jardinier privé"): ("private_gardener", "Private gardener"),
    ("general", "Pet sitter"): ("pet_sitter", "Pet sitter"),
    ("general", "Nettoyage de maison"): ("house_cleaning", "House cleaning"),
    ("general", "Aide ménagère"): ("domestic_helper", "Domestic helper"),
    # --- general: Bâtiment, chantier et maintenance
    ("general", "Maçon"): ("mason", "Bricklayer / mason"),
    ("general", "Électricien"): ("electrician", "Electrician"),
    ("general", "Plombier"): ("plumber", "Plumber"),
    ("general", "Peintre en bâtiment"): ("house_painter", "House painter"),
    ("general", "Menuisier"): ("joiner", "Joiner"),
    ("general", "Carreleur"): ("tiler", "Tiler"),
    ("general", "Jardinier/élagueur"): ("gardener_tree_surgeon", "Gardener / tree surgeon"),
    ("general", "Technicien maintenance bureaux"): ("office_maintenance_technician", "Office maintenance technician"),
    ("general", "Chauffagiste"): ("heating_engineer", "Heating engineer"),
    ("general", "Agent nettoyage industriel"): ("industrial_cleaner", "Industrial cleaner"),
    ("general", "Serrurier"): ("locksmith", "Locksmith"),
    ("general", "Ramoneur"): ("chimney_sweep", "Chimney sweep"),
    ("general", "Plâtrier"): ("plasterer", "Plasterer"),
    ("general", "Vitrier"): ("glazier", "Glazier"),
    ("general", "Charpentier"): ("carpenter", "Carpenter"),
    ("general", "Couvreur"): ("roofer", "Roofer"),
    ("general", "Peintre décorateur"): ("decorative_painter", "Decorative painter"),
    ("general", "Moniteur bâtiment"): ("construction_instructor", "Construction trades instructor"),
    # --- general: Logistique et transport
    ("general", "Chauffeur VTC"): ("ride_hailing_driver", "Ride-hailing driver"),
    ("general", "Livreur"): ("delivery_driver", "Delivery driver / courier"),
    ("general", "Déménageur"): ("mover", "Mover / removals worker"),
    ("general", "Agent d'entrepôt"): ("warehouse_worker", "Warehouse worker"),
    ("general", "Logisticien"): ("logistics_specialist", "Logistics specialist"),
    ("general", "Préparateur de commandes"): ("order_picker", "Order picker"),
    ("general", "Conducteur de poids lourds"): ("hgv_driver", "Heavy goods vehicle (HGV) driver"),
    ("general", "Magasinier"): ("storekeeper", "Storekeeper"),
    ("general", "Cariste"): ("forklift_operator", "Forklift operator"),
    # --- general: Commerce et vente
    ("general", "Vendeur"): ("sales_assistant", "Sales assistant"),
    ("general", "Caissier"): ("cashier", "Cashier"),
    ("general", "Merchandiser"): ("merchandiser", "Merchandiser"),
    ("general", "Télévendeur"): ("telesales_agent", "Telesales agent"),
    ("general", "Agent d'accueil"): ("receptionist", "Receptionist"),
    ("general", "Responsable de boutique"): ("shop_manager", "Shop manager"),
    ("general", "Commercial terrain"): ("field_sales_representative", "Field sales representative"),
    ("general", "Représentant"): ("sales_representative", "Sales representative"),
    ("general", "Téléconseiller"): ("call_centre_agent", "Call centre agent"),
    # --- general: Multimédia et création digitale
    ("general", "Photographe"): ("photographer", "Photographer"),
    ("general", "Vidéaste"): ("videographer", "Videographer"),
    ("general", "Monteur vidéo"): ("video_editor", "Video editor"),
    ("general", "Graphiste"): ("graphic_designer", "Graphic designer"),
    ("general", "Designer UI/UX"): ("ui_ux_designer", "UI/UX designer"),
    ("general", "Développeur web (Front-end, Back-end, Full-stack)"):
        ("web_developer", "Web developer (front-end, back-end, full-stack)"),
    ("general", "Développeur applications mobiles"): ("mobile_app_developer", "Mobile app developer"),
    ("general", "Community manager"): ("community_manager", "Community manager"),
    ("general", "Rédacteur web"): ("web_content_writer", "Web content writer"),
    ("general", "Social Media Manager"): ("social_media_manager", "Social media manager"),
    ("general", "Créateur de contenu"): ("content_creator", "Content creator"),
    ("general", "Illustrateur"): ("illustrator", "Illustrator"),
    ("general", "Animateur 2D/3D"): ("animator_2d_3d", "2D/3D animator"),
    ("general", "Motion designer"): ("motion_designer", "Motion designer"),
    ("general", "Expert SEO"): ("seo_specialist", "SEO specialist"),
    ("general", "Data analyst"): ("data_analyst", "Data analyst"),
    # --- general: Communication et marketing
    ("general", "Chargé de communication"): ("communications_officer", "Communications officer"),
    ("general", "Responsable marketing"): ("marketing_manager", "Marketing manager"),
    ("general", "Animateur radio/TV"): ("radio_tv_presenter", "Radio/TV presenter"),
    ("general", "Publicitaire"): ("advertising_professional", "Advertising professional"),
    ("general", "Copywriter"): ("copywriter", "Copywriter"),
    ("general", "Planneur stratégique"): ("strategic_planner", "Strategic planner"),
    ("general", "Consultant en image"): ("image_consultant", "Image consultant"),
    ("general", "Responsable événementiel"): ("events_manager", "Events manager"),
    ("general", "Attaché de presse"): ("press_officer", "Press officer"),
    # --- general: Santé et bien-être
    ("general", "Infirmier"): ("nurse", "Nurse"),
    ("general", "Kinésithérapeute"): ("physiotherapist", "Physiotherapist"),
    ("general", "Esthéticien(ne)"): ("beautician", "Beautician"),
    ("general", "Masseur(se)"): ("massage_therapist", "Massage therapist"),
    ("general", "Coach sportif"): ("fitness_coach", "Fitness coach"),
    ("general", "Diététicien(ne)"): ("dietitian", "Dietitian"),
    ("general", "Accompagnant psychologique"): ("psychological_support_worker", "Psychological support worker"),
    ("general", "Sage-femme"): ("midwife", "Midwife"),
    ("general", "Psychologue"): ("psychologist", "Psychologist"),
    ("general", "Dentiste"): ("dentist", "Dentist"),
    ("general", "Pharmacien"): ("pharmacist", "Pharmacist"),
    ("general", "Orthophoniste"): ("speech_therapist", "Speech and language therapist"),
    # --- general: Éducation et pédagogie
    ("general", "Professeur particulier"): ("private_tutor", "Private tutor"),
    ("general", "Formateur"): ("trainer", "Trainer"),
    ("general", "Traducteur/interprète"): ("translator_interpreter", "Translator / interpreter"),
    ("general", "Animateur périscolaire"): ("after_school_activity_leader", "After-school activity leader"),
    ("general", "Éducateur spécialisé"): ("specialist_social_educator", "Specialist social educator"),
    ("general", "Conseiller d'éducation"): ("education_adviser", "Education adviser"),
    ("general", "Médiateur culturel"): ("cultural_mediator", "Cultural mediator"),
    # --- general: Art, culture et spectacle
    ("general", "Acteur"): ("actor", "Actor"),
    ("general", "Chanteur"): ("singer", "Singer"),
    ("general", "Musicien"): ("musician", "Musician"),
    ("general", "Danseur"): ("dancer", "Dancer"),
    ("general", "Comédien"): ("stage_actor", "Stage actor"),
    ("general", "Scénariste"): ("screenwriter", "Screenwriter"),
    ("general", "Réalisateur"): ("director", "Director (film/TV)"),
    ("general", "Régisseur"): ("stage_manager", "Stage manager"),
    ("general", "Costumier"): ("costume_designer", "Costume designer"),
    ("general", "Maquilleur professionnel"): ("professional_makeup_artist", "Professional make-up artist"),
    ("general", "Technicien son/lumière"): ("sound_lighting_technician", "Sound/lighting technician"),
    ("general", "Conteur"): ("storyteller", "Storyteller"),
    # --- general: Services administratifs
    ("general", "Secrétaire"): ("secretary", "Secretary"),
    ("general", "Comptable"): ("accountant", "Accountant"),
    ("general", "Assistant administratif"): ("administrative_assistant", "Administrative assistant"),
    ("general", "Juriste"): ("legal_specialist", "Legal specialist"),
    ("general", "Consultant en gestion"): ("management_consultant", "Management consultant"),
    ("general", "Gestionnaire de projet"): ("project_manager", "Project manager"),
    ("general", "Archiviste"): ("archivist", "Archivist"),
    ("general", "Assistant ressources humaines"): ("hr_assistant", "Human resources assistant"),
    # --- general: Informatique et technique
    ("general", "Technicien IT"): ("it_technician", "IT technician"),
    ("general", "Développeur logiciel"): ("software_developer", "Software developer"),
    # "Data analyst" also exists under Multimédia; this one is the IT-side role.
    ("general", "Analyste data"): ("it_data_analyst", "Data analyst (IT)"),
    ("general", "Ingénieur système"): ("systems_engineer", "Systems engineer"),
    ("general", "Responsable réseau"): ("network_manager", "Network manager"),
    ("general", "Expert cybersécurité"): ("cybersecurity_expert", "Cybersecurity expert"),
    ("general", "Data scientist"): ("data_scientist", "Data scientist"),
    ("general", "Administrateur base de données"): ("database_administrator", "Database administrator"),
    ("general", "Support technique"): ("technical_support", "Technical support"),
    # --- general: Services spécialisés
    ("general", "Conseiller financier"): ("financial_adviser", "Financial adviser"),
    ("general", "Coach en orientation"): ("career_guidance_coach", "Career guidance coach"),
    ("general", "Wedding planner"): ("wedding_planner", "Wedding planner"),
    ("general", "Gestionnaire immobilier"): ("property_manager", "Property manager"),
    ("general", "Ingénieur sécurité"): ("safety_engineer", "Safety engineer"),
    ("general", "Consultant environnemental"): ("environmental_consultant", "Environmental consultant"),
    ("general", "Conseiller en développement durable"): ("sustainability_adviser", "Sustainability adviser"),
    ("general", "Expert en blockchain"): ("blockchain_expert", "Blockchain expert"),
    ("general", "Ingénieur biotechnologie"): ("biotechnology_engineer", "Biotechnology engineer"),
}

CINEMA_TALENT_TYPES = {
    "Acteur/Actrice Principal(e)": ("lead_actor", "Lead actor / actress"),
    "Acteur/Actrice Secondaire": ("supporting_actor", "Supporting actor / actress"),
    "Figurant(e)": ("extra", "Extra"),
    "Silhouette": ("featured_extra", "Featured extra"),
    "Doublure": ("body_double", "Body double"),
    "Doublure Lumière": ("stand_in", "Stand-in"),
    "Cascadeur/Cascadeuse": ("stunt_performer", "Stunt performer"),
    "Mannequin": ("model", "Model"),
    "Voix Off": ("voice_over", "Voice-over artist"),
    "Figurant Spécialisé": ("specialist_extra", "Specialist extra"),
    "Choriste": ("backing_singer", "Backing singer"),
    "Danseur/Danseuse de fond": ("background_dancer", "Background dancer"),
    "Autre": ("other", "Other"),
}

LANGUAGES = {
    "Afrikaans": ("afrikaans", "Afrikaans"),
    "Albanais": ("albanian", "Albanian"),
    "Allemand": ("german", "German"),
    "Amazigh (Berbère)": ("amazigh", "Amazigh (Berber)"),
    "Amharique": ("amharic", "Amharic"),
    "Anglais": ("english", "English"),
    "Arabe": ("arabic", "Arabic"),
    "Arménien": ("armenian", "Armenian"),
    "Bambara": ("bambara", "Bambara"),
    "Bengali": ("bengali", "Bengali"),
    "Bulgare": ("bulgarian", "Bulgarian"),
    "Catalan": ("catalan", "Catalan"),
    "Chinois (Cantonais)": ("cantonese", "Chinese (Cantonese)"),
    "Chinois (Mandarin)": ("mandarin", "Chinese (Mandarin)"),
    "Coréen": ("korean", "Korean"),
    "Créole": ("creole", "Creole"),
    "Danois": ("danish", "Danish"),
    "Dioula": ("dyula", "Dyula"),
    "Espagnol": ("spanish", "Spanish"),
    "Estonien": ("estonian", "Estonian"),
    "Finnois": ("finnish", "Finnish"),
    "Français": ("french", "French"),
    "Grec": ("greek", "Greek"),
    "Haoussa": ("hausa", "Hausa"),
    "Hébreu": ("hebrew", "Hebrew"),
    "Hindi": ("hindi", "Hindi"),
    "Hongrois": ("hungarian", "Hungarian"),
    "Igbo": ("igbo", "Igbo"),
    "Indonésien": ("indonesian", "Indonesian"),
    "Italien": ("italian", "Italian"),
    "Japonais": ("japanese", "Japanese"),
    "Kikuyu": ("kikuyu", "Kikuyu"),
    "Kinyarwanda": ("kinyarwanda", "Kinyarwanda"),
    "Lingala": ("lingala", "Lingala"),
    "Malgache": ("malagasy", "Malagasy"),
    "Malinké": ("malinke", "Malinke"),
    "Néerlandais": ("dutch", "Dutch"),
    "Norvégien": ("norwegian", "Norwegian"),
    "Oromo": ("oromo", "Oromo"),
    "Peul": ("fula", "Fula (Fulani)"),
    "Polonais": ("polish", "Polish"),
    "Portugais": ("portuguese", "Portuguese"),
    "Roumain": ("romanian", "Romanian"),
    "Russe": ("russian", "Russian"),
    "Sango": ("sango", "Sango"),
    "Serbe": ("serbian", "Serbian"),
    "Somali": ("somali", "Somali"),
    "Soninké": ("soninke", "Soninke"),
    "Suédois": ("swedish", "Swedish"),
    "Swahili": ("swahili", "Swahili"),
    "Tamoul": ("tamil", "Tamil"),
    "Tchèque": ("czech", "Czech"),
    "Tigrinya": ("tigrinya", "Tigrinya"),
    "Turc": ("turkish", "Turkish"),
    "Ukrainien": ("ukrainian", "Ukrainian"),
    "Wolof": ("wolof", "Wolof"),
    "Xhosa": ("xhosa", "Xhosa"),
    "Yoruba": ("yoruba", "Yoruba"),
    "Zoulou": ("zulu", "Zulu"),
    "Autre": ("other", "Other"),
}

PHYSICAL_TRAITS = {
    ("eye_color", "Marron foncé"): ("dark_brown", "Dark brown"),
    ("eye_color", "Marron"): ("brown", "Brown"),
    ("eye_color", "Marron clair"): ("light_brown", "Light brown"),
    ("eye_color", "Noisette"): ("hazel", "Hazel"),
    ("eye_color", "Vert"): ("green", "Green"),
    ("eye_color", "Vert clair"): ("light_green", "Light green"),
    ("eye_color", "Bleu"): ("blue", "Blue"),
    ("eye_color", "Bleu clair"): ("light_blue", "Light blue"),
    ("eye_color", "Gris"): ("grey", "Grey"),
    ("eye_color", "Ambre"): ("amber", "Amber"),
    ("eye_color", "Noir"): ("black", "Black"),
    ("eye_color", "Vairons (deux couleurs)"): ("heterochromia", "Heterochromia (two colours)"),
    ("hair_color", "Noir"): ("black", "Black"),
    ("hair_color", "Brun foncé"): ("dark_brown", "Dark brown"),
    ("hair_color", "Brun"): ("brown", "Brown"),
    ("hair_color", "Châtain foncé"): ("dark_chestnut", "Dark chestnut"),
    ("hair_color", "Châtain"): ("chestnut", "Chestnut"),
    ("hair_color", "Châtain clair"): ("light_chestnut", "Light chestnut"),
    ("hair_color", "Blond foncé"): ("dark_blonde", "Dark blonde"),
    ("hair_color", "Blond"): ("blonde", "Blonde"),
    ("hair_color", "Blond platine"): ("platinum_blonde", "Platinum blonde"),
    ("hair_color", "Roux"): ("red", "Red"),
    ("hair_color", "Auburn"): ("auburn", "Auburn"),
    ("hair_color", "Poivre et sel"): ("salt_and_pepper", "Salt and pepper"),
    ("hair_color", "Gris"): ("grey", "Grey"),
    ("hair_color", "Blanc"): ("white", "White"),
    ("hair_color", "Colorés/Fantaisie"): ("dyed_fantasy", "Dyed / fantasy colours"),
    ("hair_color", "Chauve/Rasé"): ("bald_shaved", "Bald / shaved"),
    ("hair_type", "Raides"): ("straight", "Straight"),
    ("hair_type", "Ondulés"): ("wavy", "Wavy"),
    ("hair_type", "Bouclés"): ("curly", "Curly"),
    ("hair_type", "Frisés"): ("tight_curls", "Tight curls"),
    ("hair_type", "Crépus"): ("coily", "Coily"),
    ("hair_type", "Afro"): ("afro", "Afro"),
    ("hair_type", "Tressés"): ("braided", "Braided"),
    ("hair_type", "Locks/Dreadlocks"): ("locs", "Locs / dreadlocks"),
    ("hair_type", "Rasés"): ("shaved", "Shaved"),
    ("hair_type", "Chauve"): ("bald", "Bald"),
    ("skin_tone", "Très clair"): ("very_fair", "Very fair"),
    ("skin_tone", "Clair"): ("fair", "Fair"),
    ("skin_tone", "Moyen clair"): ("light_medium", "Light medium"),
    ("skin_tone", "Moyen"): ("medium", "Medium"),
    ("skin_tone", "Olivâtre"): ("olive", "Olive"),
    ("skin_tone", "Mat"): ("tan", "Tan"),
    ("skin_tone", "Bronzé"): ("bronze", "Bronze"),
    ("skin_tone", "Foncé"): ("dark", "Dark"),
    ("skin_tone", "Très foncé"): ("very_dark", "Very dark"),
    ("skin_tone", "Noir profond"): ("deep", "Deep"),
    ("build", "Très mince"): ("very_slim", "Very slim"),
    ("build", "Mince"): ("slim", "Slim"),
    ("build", "Svelte"): ("slender", "Slender"),
    ("build", "Athlétique"): ("athletic", "Athletic"),
    ("build", "Musclé"): ("muscular", "Muscular"),
    ("build", "Moyen"): ("average", "Average"),
    ("build", "Fort"): ("stocky", "Stocky"),
    ("build", "Rond"): ("full_figured", "Full-figured"),
    ("build", "Corpulent"): ("heavyset", "Heavyset"),
    ("build", "Imposant"): ("large", "Large"),
}

# value_fr -> (key, name_en, label_en)
AVAILABILITY = {
    "Temps plein": ("full_time", "Full-time", "Full-time (35-40 h/week)"),
    "Temps partiel": ("part_time", "Part-time", "Part-time (15-30 h/week)"),
    "Mi-temps": ("half_time", "Half-time", "Half-time (20 h/week)"),
    "Flexible": ("flexible", "Flexible", "Flexible"),
    "Occasionnel": ("occasional", "Occasional", "Occasional / Per assignment"),
    "Week-end uniquement": ("weekends_only", "Weekends only", "Weekends only"),
    "Soir uniquement": ("evenings_only", "Evenings only", "Evenings only"),
    "Ponctuel": ("one_off", "One-off", "One-off / Short assignments"),
    "Indisponible": ("unavailable", "Unavailable", "Currently unavailable"),
}

# value (already a key) -> name_en
WORK_MODES = {"remote": "Remote", "on_site": "On-site", "hybrid": "Hybrid"}


# ===================================================================================================
# Helpers
# ===================================================================================================
class SeedFailure(Exception):
    """A problem that must stop the build or fail the check."""


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [dict(r) for r in csv.DictReader(f)]


def read_input(input_dir: Path, name: str, columns: list[str]) -> list[dict[str, str]]:
    path = input_dir / name
    if not path.is_file():
        raise SeedFailure(f"input file missing: {path}")
    rows = read_csv(path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    if header != columns:
        raise SeedFailure(f"{path}: header {header} != expected {columns}")
    for i, r in enumerate(rows, start=2):
        for c in columns:
            if r.get(c) is None or r[c] != r[c].strip() or (not r[c] and c not in ("flag", "emoji")):
                raise SeedFailure(f"{path}:{i}: empty or padded value in column {c!r}: {r.get(c)!r}")
    return rows


def read_existing(out_dir: Path, name: str) -> list[dict[str, str]]:
    """The previously generated file, if any (used to preserve keys and codes)."""
    path = out_dir / name
    return read_csv(path) if path.is_file() else []


def to_csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def pick_key(scope: str, label_fr: str, existing: dict, wanted: str, used: set[str]) -> str:
    """Preserved key if the row was already shipped, else the hand-written one (which must be free)."""
    key = existing.get(label_fr) or wanted
    if key in used:
        raise SeedFailure(f"{scope}: key {key!r} for {label_fr!r} is already used (or retired) in this scope")
    used.add(key)
    return key


RETIRED_HEADER = ["file", "scope", "name_fr", "key"]


class Registry:
    """Keys and codes already shipped: those in the existing seeds/ files, plus the retired ones recorded in
    tools/seeds/retired.csv (rows that left the reference lists).  A shipped key is never changed; a retired
    key is never given to another row, and comes back if its row returns."""

    def __init__(self, out_dir: Path, ledger: Path):
        self.out_dir = out_dir
        self.ledger = ledger
        self.retired: dict[tuple[str, str], dict[str, str]] = {}
        if ledger.is_file():
            for r in read_csv(ledger):
                self.retired.setdefault((r["file"], r["scope"]), {})[r["name_fr"]] = r["key"]
        self.new_retired: dict[tuple[str, str], dict[str, str]] = {}

    def shipped(self, file: str, scope_col: str | None, key_col: str) -> dict[str, dict[str, str]]:
        """scope -> {name_fr: key}; a row still present in seeds/ wins over the ledger."""
        known: dict[str, dict[str, str]] = {}
        for (f, scope), labels in self.retired.items():
            if f == file:
                known.setdefault(scope, {}).update(labels)
        for r in read_existing(self.out_dir, file):
            if r.get(key_col):
                known.setdefault(r[scope_col] if scope_col else "", {})[r["name_fr"]] = r[key_col]
        return known

    def settle(self, file: str, known: dict[str, dict[str, str]], live: dict[str, set[str]]) -> dict[str, set[str]]:
        """Records the shipped rows missing from the input as retired; returns their keys per scope."""
        reserved: dict[str, set[str]] = {}
        for scope, labels in known.items():
            gone = {label: key for label, key in labels.items() if label not in live.get(scope, set())}
            for label, key in gone.items():
                if label not in self.retired.get((file, scope), {}):
                    print(f"warning: {file} [{scope or '-'}]: {label!r} ({key}) is no longer in the input; "
                          f"its key/code is retired and stays reserved", file=sys.stderr)
            if gone:
                self.new_retired[(file, scope)] = gone
            reserved[scope] = set(gone.values())
        return reserved

    def ledger_text(self) -> str:
        rows = [[f, scope, label, key] for (f, scope), labels in self.new_retired.items()
                for label, key in labels.items()]
        return to_csv_text(RETIRED_HEADER, sorted(rows, key=lambda r: (r[0], r[1], r[3], r[2])))


# ===================================================================================================
# City codes
# ===================================================================================================
_TRANSLIT = str.maketrans({
    "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ø": "O", "ø": "o", "Ħ": "H", "ħ": "h",
    "ı": "i", "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "TH", "þ": "th",
})
VOWELS = set("AEIOUY")
# Particles and articles, ignored for initials after the first word ("San Juan de la Maguana" -> S, J, M).
PARTICLES = {"DE", "DEL", "DELA", "LA", "LE", "LES", "DU", "DES", "DA", "DO", "DOS", "DAS", "DI", "OF", "THE",
             "SUR", "EN", "Y", "ET", "AND", "EL", "LOS", "LAS", "AL", "IL"}


def _ascii_upper(text: str) -> str:
    """NFKD, accents stripped, a few letters NFKD does not decompose transliterated (Ł, ø, ð, ı, ħ, æ ...)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


def city_letters(name: str) -> str:
    letters = re.sub(r"[^A-Z]", "", _ascii_upper(name))
    if not letters:
        raise SeedFailure(f"cities: {name!r} has no letters to derive a code from")
    return letters.ljust(3, "X")


def city_words(name: str) -> list[str]:
    words = [w for w in re.split(r"[^A-Z]+", _ascii_upper(name)) if w]
    # Particles ("de", "la", "sur" ...) do not count for initials, except as the first word.
    return words[:1] + [w for w in words[1:] if w not in PARTICLES]


def _dedupe(seq):
    seen = set()
    for x in seq:
        if x not in seen:
            seen.add(x)
            yield x


def code_candidates(name: str):
    """All candidate codes for a city, best first (see seeds/README.md for the rule)."""
    letters = city_letters(name)
    first, rest = letters[0], letters[1:]

    def consonants_then_vowels(s: str) -> list[str]:
        return [c for c in s if c not in VOWELS] + [c for c in s if c in VOWELS]

    def gen():
        # 1. first three letters
        yield letters[:3]
        # 2. multi-word names: initials-based candidates
        words = city_words(name)
        if len(words) >= 2:
            w1, w2, wl = words[0], words[1], words[-1]
            if len(words) >= 3:
                yield w1[0] + w2[0] + words[2][0]          # Sidi Bel Abbès -> SBA
                yield w1[0] + w2[0] + wl[0]
            for c in consonants_then_vowels(w2[1:]):        # Bobo-Dioulasso -> BDL, ... BDI
                yield w1[0] + w2[0] + c
            for w in words[2:]:
                for c in consonants_then_vowels(w[1:]):
                    yield w1[0] + w2[0] + c
            if len(w1) >= 2:
                yield w1[:2] + w2[0]                         # Port Harcourt -> POH
            yield w1[0] + w2[0] + wl[-1]
        # 3. first letter + two later letters, keeping order, preferring consonants
        cons = [i for i, c in enumerate(rest) if c not in VOWELS]
        if len(cons) >= 2:
            yield first + rest[cons[0]] + rest[cons[1]]      # first letter + next two consonants
        if cons and cons[0] < len(rest) - 1:
            yield first + rest[cons[0]] + rest[-1]           # first letter + next consonant + last letter
        for i, j in combinations(cons, 2):                   # any two later consonants, in order
            yield first + rest[i] + rest[j]
        for i, j in combinations(range(len(rest)), 2):      # any two later letters, in order
            yield first + rest[i] + rest[j]
        # 4. last resort: first letter + two letters A-Z in alphabetical order
        for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
                yield first + a + b

    return _dedupe(gen())


# ===================================================================================================
# Build
# ===================================================================================================
def build(input_dir: Path, out_dir: Path, ledger: Path):
    """Returns ({file name: csv text}, stats, registry)."""
    out: dict[str, str] = {}
    stats: dict = {}
    registry = Registry(out_dir, ledger)

    # ---- countries ------------------------------------------------------------------------------
    countries = read_input(input_dir, "countries.csv", ["iso2", "name_fr", "nationality_fr"])
    rows = []
    for r in countries:
        if r["iso2"] not in COUNTRIES_EN:
            raise SeedFailure(f"countries: no English name for {r['iso2']} {r['name_fr']!r}")
        name_en, nat_en = COUNTRIES_EN[r["iso2"]]
        rows.append([r["iso2"], r["name_fr"], name_en, r["nationality_fr"], nat_en])
    out["countries.csv"] = to_csv_text(HEADERS["countries.csv"], rows)
    country_order = [r["iso2"] for r in countries]
    country_set = set(country_order)
    unused = set(COUNTRIES_EN) - country_set
    if unused:
        print(f"warning: English names for countries not in the input: {sorted(unused)}", file=sys.stderr)

    # ---- cities ---------------------------------------------------------------------------------
    cities = read_input(input_dir, "cities.csv", ["country_iso2", "name"])
    groups: OrderedDict[str, list[str]] = OrderedDict()
    for r in cities:
        iso = r["country_iso2"]
        if iso not in country_set:
            raise SeedFailure(f"cities: unknown country {iso} for {r['name']!r}")
        if groups and iso in groups and next(reversed(groups)) != iso:
            raise SeedFailure(f"cities: the rows of {iso} are not contiguous in the input")
        if r["name"] == UNLISTED_FR:
            raise SeedFailure(f"cities: {iso} lists {UNLISTED_FR!r} as a real city")
        groups.setdefault(iso, []).append(r["name"])
    for iso, names in groups.items():
        dup = [n for n, k in Counter(names).items() if k > 1]
        if dup:
            raise SeedFailure(f"cities: duplicate city names in {iso}: {dup}")
    # Countries without cities get their "Ville non listée" group after the others, in country order.
    for iso in country_order:
        groups.setdefault(iso, [])

    known_codes = registry.shipped("cities.csv", "country_iso2", "code")
    for iso, labels in known_codes.items():
        if labels.get(UNLISTED_FR, UNLISTED_CODE) != UNLISTED_CODE:
            raise SeedFailure(f"cities: {iso} {UNLISTED_FR!r} was shipped with code {labels[UNLISTED_FR]}, not VNL")
        if iso not in country_set:
            raise SeedFailure(f"cities: country {iso} of shipped cities is no longer in the input")
    registry.settle("cities.csv", known_codes,
                    {iso: set(names) | {UNLISTED_FR} for iso, names in groups.items()})

    rows, clashes, examples = [], 0, []
    for iso, names in groups.items():
        shipped = {n: c for n, c in known_codes.get(iso, {}).items() if n != UNLISTED_FR}
        taken = {UNLISTED_CODE}
        for name, code in shipped.items():  # shipped codes, including retired ones, are taken first
            if code in taken:
                raise SeedFailure(f"cities: shipped code {code} is used twice in {iso}")
            taken.add(code)
        codes = {}
        for name in names:  # preserved codes first ...
            if name in shipped:
                codes[name] = shipped[name]
        for name in names:  # ... then new ones, in input order
            if name in codes:
                continue
            code = next(c for c in code_candidates(name) if c not in taken)
            taken.add(code)
            codes[name] = code
        for name in names:
            first = city_letters(name)[:3]
            if codes[name] != first:
                clashes += 1
                examples.append((iso, name, first, codes[name]))
            rows.append([iso, codes[name], name, CITY_EXONYMS.get(iso, {}).get(name, name)])
        rows.append([iso, UNLISTED_CODE, UNLISTED_FR, UNLISTED_EN])
    for iso, table in CITY_EXONYMS.items():
        for name in table:
            if name not in groups.get(iso, []):
                raise SeedFailure(f"cities: exonym table mentions {iso} {name!r}, which is not in the input")
    out["cities.csv"] = to_csv_text(HEADERS["cities.csv"], rows)
    stats["city_clashes"] = clashes
    stats["city_clash_examples"] = examples
    stats["cities_in"] = len(cities)

    # ---- currencies -----------------------------------------------------------------------------
    currencies = read_input(input_dir, "currencies.csv", ["country_iso2", "currency", "symbol", "name_fr"])
    rows, corrections = [], []
    for r in currencies:
        iso, code, symbol, name_fr = r["country_iso2"], r["currency"], r["symbol"], r["name_fr"]
        if iso not in country_set:
            raise SeedFailure(f"currencies: unknown country {iso}")
        if code in CURRENCY_CORRECTIONS:
            new_code, new_symbol, new_name_fr, why = CURRENCY_CORRECTIONS[code]
            corrections.append((iso, f"{code} / {symbol} / {name_fr}",
                                f"{new_code} / {new_symbol} / {new_name_fr or name_fr}", why))
            code, symbol, name_fr = new_code, new_symbol, new_name_fr or name_fr
        if code not in ISO4217_CURRENT:
            raise SeedFailure(f"currencies: {iso} uses {code}, which is not a known current ISO 4217 code "
                              "(add a correction or extend ISO4217_CURRENT after checking)")
        if code in CFA_SYMBOLS and symbol != CFA_SYMBOLS[code]:
            raise SeedFailure(f"currencies: {iso} {code} must have symbol {CFA_SYMBOLS[code]}")
        if code not in CURRENCY_NAMES_EN:
            raise SeedFailure(f"currencies: no English name for {code}")
        rows.append([iso, code, symbol, name_fr, CURRENCY_NAMES_EN[code]])
    out["currencies.csv"] = to_csv_text(HEADERS["currencies.csv"], rows)
    stats["currency_corrections"] = corrections

    # ---- talent categories & talents ------------------------------------------------------------
    talents_in = read_input(input_dir, "talent_categories.csv", ["tag", "category_fr", "emoji", "talent_fr"])
    old_cats = registry.shipped("talent_categories.csv", "tag", "key")
    old_talents = registry.shipped("talents.csv", "tag", "key")

    cat_rows, cat_key = [], {}
    live_cats: dict[str, set[str]] = {}
    for r in talents_in:
        live_cats.setdefault(r["tag"], set()).add(r["category_fr"])
    used_cat = registry.settle("talent_categories.csv", old_cats, live_cats)
    emoji_of = {}
    for r in talents_in:
        tag, cat = r["tag"], r["category_fr"]
        if (tag, cat) in cat_key:
            if emoji_of[(tag, cat)] != r["emoji"]:
                raise SeedFailure(f"talent_categories: {tag}/{cat!r} has two different emojis")
            continue
        if (tag, cat) not in CATEGORIES:
            raise SeedFailure(f"talent_categories: no key / English name for {tag}/{cat!r}")
        wanted, name_en = CATEGORIES[(tag, cat)]
        key = pick_key(f"talent_categories[{tag}]", cat, old_cats.get(tag, {}), wanted,
                       used_cat.setdefault(tag, set()))
        cat_key[(tag, cat)] = key
        emoji_of[(tag, cat)] = r["emoji"]
        cat_rows.append([tag, key, cat, name_en, r["emoji"]])
    out["talent_categories.csv"] = to_csv_text(HEADERS["talent_categories.csv"], cat_rows)

    talent_rows = []
    live_tal: dict[str, set[str]] = {}
    for r in talents_in:
        live_tal.setdefault(r["tag"], set()).add(r["talent_fr"])
    used_tal = registry.settle("talents.csv", old_talents, live_tal)
    seen_tal = set()
    for r in talents_in:
        tag, label = r["tag"], r["talent_fr"]
        if (tag, label) in seen_tal:
            raise SeedFailure(f"talents: duplicate talent {tag}/{label!r}")
        seen_tal.add((tag, label))
        if (tag, label) not in TALENTS:
            raise SeedFailure(f"talents: no key / English name for {tag}/{label!r}")
        wanted, name_en = TALENTS[(tag, label)]
        key = pick_key(f"talents[{tag}]", label, old_talents.get(tag, {}), wanted, used_tal.setdefault(tag, set()))
        talent_rows.append([tag, cat_key[(tag, r["category_fr"])], key, label, name_en])
    out["talents.csv"] = to_csv_text(HEADERS["talents.csv"], talent_rows)

    # ---- simple keyed lists -----------------------------------------------------------------------
    def simple(name: str, in_cols: list[str], label_col: str, table: dict, make_row):
        rows_in = read_input(input_dir, name, in_cols)
        old = registry.shipped(name, None, "key").get("", {})
        used = registry.settle(name, {"": old}, {"": {r[label_col] for r in rows_in}})[""]
        rows = []
        for r in rows_in:
            label = r[label_col]
            if label not in table:
                raise SeedFailure(f"{name}: no key / English label for {label!r}")
            entry = table[label]
            key = pick_key(name, label, old, entry[0], used)
            rows.append(make_row(key, r, entry))
        return to_csv_text(HEADERS[name], rows)

    out["cinema_talent_types.csv"] = simple(
        "cinema_talent_types.csv", ["type_fr"], "type_fr", CINEMA_TALENT_TYPES,
        lambda key, r, e: [key, r["type_fr"], e[1]])
    out["languages.csv"] = simple(
        "languages.csv", ["name_fr", "flag"], "name_fr", LANGUAGES,
        lambda key, r, e: [key, r["name_fr"], e[1], r["flag"]])
    out["availability.csv"] = simple(
        "availability.csv", ["value_fr", "label_fr"], "value_fr", AVAILABILITY,
        lambda key, r, e: [key, r["value_fr"], e[1], r["label_fr"], e[2]])

    # ---- physical traits (keys unique within a trait) -------------------------------------------
    traits_in = read_input(input_dir, "physical_traits.csv", ["trait", "value_fr"])
    old_traits = registry.shipped("physical_traits.csv", "trait", "key")
    live_traits: dict[str, set[str]] = {}
    for r in traits_in:
        live_traits.setdefault(r["trait"], set()).add(r["value_fr"])
    used_tr = registry.settle("physical_traits.csv", old_traits, live_traits)
    rows = []
    for r in traits_in:
        trait, label = r["trait"], r["value_fr"]
        if (trait, label) not in PHYSICAL_TRAITS:
            raise SeedFailure(f"physical_traits: no key / English label for {trait}/{label!r}")
        wanted, name_en = PHYSICAL_TRAITS[(trait, label)]
        key = pick_key(f"physical_traits[{trait}]", label, old_traits.get(trait, {}), wanted,
                       used_tr.setdefault(trait, set()))
        rows.append([trait, key, label, name_en])
    out["physical_traits.csv"] = to_csv_text(HEADERS["physical_traits.csv"], rows)

    # ---- work modes (the input value is already the key) -----------------------------------------
    rows = []
    for r in read_input(input_dir, "work_modes.csv", ["value", "label_fr"]):
        if r["value"] not in WORK_MODES:
            raise SeedFailure(f"work_modes: no English label for {r['value']!r}")
        if not KEY_RE.match(r["value"]):
            raise SeedFailure(f"work_modes: {r['value']!r} is not a valid key")
        rows.append([r["value"], r["label_fr"], WORK_MODES[r["value"]]])
    out["work_modes.csv"] = to_csv_text(HEADERS["work_modes.csv"], rows)

    out["README.md"] = render_readme(out, stats)
    return out, stats, registry


# ===================================================================================================
# README
# ===================================================================================================
def _count_rows(text: str) -> int:
    return len(list(csv.reader(io.StringIO(text)))) - 1


def render_readme(out: dict[str, str], stats: dict) -> str:
    def n(name):
        return f"{_count_rows(out[name]):,}"

    def per(name, col):
        c = Counter(r[col] for r in csv.DictReader(io.StringIO(out[name])))
        return ", ".join(f"{k} {v}" for k, v in c.items())

    table = [
        ("countries.csv", "ISO 3166-1 alpha-2 code, country and nationality (fr/en)"),
        ("cities.csv", f"{stats['cities_in']:,} reference cities + one `VNL` \"Ville non listée\" row per country, "
                       "grouped by country in input order, `VNL` last in each group; the 9 countries without "
                       "listed cities (only a `VNL` row) come last, in countries.csv order"),
        ("currencies.csv", "one currency per country (ISO 4217); XOF/XAF symbol `FCFA`"),
        ("talent_categories.csv", f"distinct (tag, category) in first-appearance order: {per('talent_categories.csv', 'tag')}"),
        ("talents.csv", f"one row per input talent: {per('talents.csv', 'tag')}"),
        ("cinema_talent_types.csv", "roles on a film set"),
        ("languages.csv", "spoken languages; `flag` kept verbatim (incl. ⵣ and 🌐 for \"Autre\")"),
        ("physical_traits.csv", f"pick-lists: {per('physical_traits.csv', 'trait')}"),
        ("availability.csv", "`name_*` = short value, `label_*` = displayed label"),
        ("work_modes.csv", "remote / on-site / hybrid"),
    ]
    lines = [
        "# Reference data (seeds)",
        "",
        "Generated by `tools/seeds/build_seeds.py` from the French reference lists in `../shared/reference/` (beside the repository).",
        "Do not edit these files by hand: change the tables in the script and run it again.",
        "",
        "```sh",
        "python3 tools/seeds/build_seeds.py          # build / update seeds/ (also writes this README)",
        "python3 tools/seeds/build_seeds.py --check  # validate seeds/; exits 1 with a message on any failure",
        "```",
        "",
        "All files: UTF-8 (no BOM), comma-separated, one header row, RFC 4180 quoting (only when needed), LF line",
        "endings, rows in the order of the reference lists. French labels are copied verbatim from the reference",
        "lists; English labels (en-GB spelling) and keys come from the hand-written tables in the script, which",
        "stops with an error if a row has no English label.",
        "",
        "| file | columns | rows | notes |",
        "|---|---|---:|---|",
    ]
    for name, note in table:
        cols = ", ".join(f"`{c}`" for c in HEADERS[name])
        lines.append(f"| {name} | {cols} | {n(name)} | {note} |")
    lines += [
        "",
        "## Keys and codes never change",
        "",
        "Keys (`key`, `category_key`) and city codes (`code`) are stored in the database. **A shipped key or code",
        "never changes and is never reused.** The script reads the existing files in `seeds/` first and keeps the",
        "key/code of every row it finds there (matched on its French label, within its tag / trait / country);",
        "only rows without one get a new one. When a row leaves the reference list, the script warns and records",
        "its key/code in `tools/seeds/retired.csv`: it stays reserved forever (never handed to another row) and",
        "comes back if the row returns. Commit that ledger with the seeds. Renaming a French label is seen as a",
        "removal plus an addition: to keep the key, rename the label in the existing seed file too before running",
        "the script. Labels (fr and en) may otherwise be corrected freely.",
        "",
        "Keys are lowercase ASCII snake_case (`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`, at most 40 characters), unique",
        "within their file; talents and categories: unique within their `tag`; physical traits: within their",
        "`trait`.",
        "",
        "## City codes",
        "",
        "Exactly three ASCII capital letters (`^[A-Z]{3}$`), unique within a country. `VNL` is reserved for",
        "\"Ville non listée\" / \"Unlisted city\", present exactly once per country (also for the 9 countries",
        "without listed cities) as the last row of the country's group; no real city may take it.",
        "",
        "Derivation, from the French name: transliterate (NFKD, accents stripped; ł→l, ø→o, ð→d, ı→i, ħ→h,",
        "æ→ae ...), drop everything but letters, uppercase; names shorter than 3 letters are padded with `X`.",
        "Codes are assigned in input order within each country (after the codes already shipped); the first",
        "candidate that is not yet taken wins:",
        "",
        "1. the first three letters (`Toulouse` → `TOU`);",
        "2. multi-word names (particles and articles such as *de, la, sur, el, al* ignored after the first word): initials of the",
        "   first three words (`Sidi Bel Abbès` → `SBA`), then initials of the first two words + a later letter",
        "   of the second word, consonants first (`San Diego` → `SDG`), then + a later letter of the following",
        "   words, then the first two letters of the first word + the second initial, then the two initials +",
        "   the last letter;",
        "3. first letter + two later letters in order, preferring consonants (Y counts as a vowel): the next two consonants",
        "   (`Toulon` → `TLN`), the next consonant + the last letter, any two later consonants, then any two",
        "   later letters (every ordered 3-letter subsequence starting with the first letter);",
        "4. only if all of these are taken: the first letter + two letters A–Z in alphabetical order.",
        "",
        f"First-three-letter clashes resolved: **{stats['city_clashes']}** cities got a code other than their first",
        "three letters (the reference README counts 53 colliding prefixes within a country; several of them",
        "involve three or more cities).",
        "",
        "| country | city | first 3 letters | code |",
        "|---|---|---|---|",
    ]
    for iso, name, first, code in stats["city_clash_examples"]:
        lines.append(f"| {iso} | {name} | {first} | {code} |")
    lines += [
        "",
        "English city names: the usual English name where one exists (Le Caire → Cairo, Genève → Geneva ...),",
        "otherwise the French name unchanged (diacritics kept). One deliberate fix: LK \"Kururenegala\" (sic in",
        "the reference list, kept in `name_fr`) is \"Kurunegala\" in `name_en`.",
        "",
        "## Currency corrections",
        "",
        "Every code was checked against the current ISO 4217 list; outdated entries of the reference list were",
        "corrected here (the `symbol` column keeps the reference list's convention: the ISO code unless a",
        "well-known sign exists; XOF and XAF keep `FCFA`):",
        "",
        "| country | reference list (code / symbol / name_fr) | seeds | why |",
        "|---|---|---|---|",
    ]
    for iso, old, new, why in stats["currency_corrections"]:
        lines.append(f"| {iso} | {old} | {new} | {why} |")
    lines += [
        "",
        "Also checked and already current in the reference list: MRU (Mauritania), STN (São Tomé and Príncipe),",
        "ZMW (Zambia), GHS (Ghana), SSP (South Sudan), SDG (Sudan), MGA (Madagascar), MZN (Mozambique),",
        "TRY (Turkey). HRK (Croatia → EUR since 2023) and VEF (Venezuela → VES) would be corrected by the",
        "script too, but Croatia and Venezuela have no currency row in the reference list.",
        "",
    ]
    return "\n".join(lines)


# ===================================================================================================
# Check
# ===================================================================================================
def check(out_dir: Path, input_dir: Path | None, ledger: Path = SCRIPT_DIR / "retired.csv") -> list[str]:
    errors: list[str] = []
    data: dict[str, list[dict[str, str]]] = {}

    for name, header in HEADERS.items():
        path = out_dir / name
        if not path.is_file():
            errors.append(f"{name}: missing")
            continue
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            errors.append(f"{name}: starts with a UTF-8 BOM")
        if b"\r" in raw:
            errors.append(f"{name}: contains CR characters (line endings must be LF)")
        if not raw.endswith(b"\n"):
            errors.append(f"{name}: does not end with a newline")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            errors.append(f"{name}: not valid UTF-8 ({e})")
            continue
        parsed = list(csv.reader(io.StringIO(text, newline="")))
        if not parsed or parsed[0] != header:
            errors.append(f"{name}: header {parsed[0] if parsed else None} != {header}")
            continue
        if to_csv_text(parsed[0], parsed[1:]) != text:
            errors.append(f"{name}: not in canonical RFC 4180 form (quoting / blank lines / line endings)")
        rows = []
        for i, rec in enumerate(parsed[1:], start=2):
            if len(rec) != len(header):
                errors.append(f"{name}:{i}: {len(rec)} fields instead of {len(header)}")
                continue
            row = dict(zip(header, rec))
            for c in header:
                if row[c] != row[c].strip():
                    errors.append(f"{name}:{i}: leading/trailing spaces in {c}")
                if not row[c] and c not in OPTIONAL_COLUMNS.get(name, set()):
                    errors.append(f"{name}:{i}: empty {c}")
            rows.append(row)
        data[name] = rows
        if len(rows) != EXPECTED_ROWS[name]:
            errors.append(f"{name}: {len(rows)} rows, expected {EXPECTED_ROWS[name]}")

    def keys(name: str, scope_col: str | None):
        if name not in data:
            return
        seen = set()
        for i, r in enumerate(data[name], start=2):
            k = r["key"]
            if not KEY_RE.match(k) or len(k) > KEY_MAX:
                errors.append(f"{name}:{i}: invalid key {k!r} (snake_case ASCII, <= {KEY_MAX} chars)")
            scope = (r[scope_col] if scope_col else None, k)
            if scope in seen:
                errors.append(f"{name}:{i}: duplicate key {k!r}" + (f" in {scope_col} {r[scope_col]}" if scope_col else ""))
            seen.add(scope)

    keys("talent_categories.csv", "tag")
    keys("talents.csv", "tag")
    keys("cinema_talent_types.csv", None)
    keys("languages.csv", None)
    keys("physical_traits.csv", "trait")
    keys("availability.csv", None)
    keys("work_modes.csv", None)

    def per_count(name, col, expected):
        if name in data:
            got = dict(Counter(r[col] for r in data[name]))
            if got != expected:
                errors.append(f"{name}: rows per {col} {got} != expected {expected}")

    per_count("talent_categories.csv", "tag", EXPECTED_CATEGORIES_PER_TAG)
    per_count("talents.csv", "tag", EXPECTED_TALENTS_PER_TAG)
    per_count("physical_traits.csv", "trait", EXPECTED_TRAITS)
    if "work_modes.csv" in data and [r["key"] for r in data["work_modes.csv"]] != ["remote", "on_site", "hybrid"]:
        errors.append("work_modes.csv: keys must be remote, on_site, hybrid")

    if "talents.csv" in data and "talent_categories.csv" in data:
        cats = {(r["tag"], r["key"]) for r in data["talent_categories.csv"]}
        for i, r in enumerate(data["talents.csv"], start=2):
            if (r["tag"], r["category_key"]) not in cats:
                errors.append(f"talents.csv:{i}: category {r['tag']}/{r['category_key']} does not exist")

    countries = set()
    if "countries.csv" in data:
        for i, r in enumerate(data["countries.csv"], start=2):
            if not re.match(r"^[A-Z]{2}$", r["iso2"]):
                errors.append(f"countries.csv:{i}: invalid iso2 {r['iso2']!r}")
            if r["iso2"] in countries:
                errors.append(f"countries.csv:{i}: duplicate iso2 {r['iso2']}")
            countries.add(r["iso2"])

    if "cities.csv" in data:
        per_country: dict[str, set[str]] = {}
        vnl: Counter = Counter()
        order: list[str] = []
        rows = data["cities.csv"]
        for i, r in enumerate(rows, start=2):
            iso, code = r["country_iso2"], r["code"]
            if countries and iso not in countries:
                errors.append(f"cities.csv:{i}: country {iso} is not in countries.csv")
            if not order or order[-1] != iso:
                if iso in order:
                    errors.append(f"cities.csv:{i}: rows of {iso} are not contiguous")
                order.append(iso)
            if not CODE_RE.match(code):
                errors.append(f"cities.csv:{i}: code {code!r} is not 3 letters A-Z")
            codes = per_country.setdefault(iso, set())
            if code in codes:
                errors.append(f"cities.csv:{i}: code {code} used twice in {iso}")
            codes.add(code)
            is_unlisted = r["name_fr"] == UNLISTED_FR
            if (code == UNLISTED_CODE) != is_unlisted:
                errors.append(f"cities.csv:{i}: {UNLISTED_CODE} must be used for, and only for, {UNLISTED_FR!r} "
                              f"({iso} {code} {r['name_fr']!r})")
            if is_unlisted:
                vnl[iso] += 1
                if r["name_en"] != UNLISTED_EN:
                    errors.append(f"cities.csv:{i}: {UNLISTED_FR!r} must be {UNLISTED_EN!r} in English")
                if i - 2 + 1 < len(rows) and rows[i - 1]["country_iso2"] == iso:
                    errors.append(f"cities.csv:{i}: {UNLISTED_FR!r} is not the last row of {iso}")
        for iso in countries or per_country:
            if vnl[iso] != 1:
                errors.append(f"cities.csv: {iso} has {vnl[iso]} {UNLISTED_CODE} rows, expected exactly 1")

    if "currencies.csv" in data:
        seen = set()
        for i, r in enumerate(data["currencies.csv"], start=2):
            iso, code = r["country_iso2"], r["currency"]
            if countries and iso not in countries:
                errors.append(f"currencies.csv:{i}: country {iso} is not in countries.csv")
            if iso in seen:
                errors.append(f"currencies.csv:{i}: two currencies for {iso}")
            seen.add(iso)
            if code not in ISO4217_CURRENT:
                errors.append(f"currencies.csv:{i}: {code} is not a current ISO 4217 code")
            if code in CFA_SYMBOLS and r["symbol"] != CFA_SYMBOLS[code]:
                errors.append(f"currencies.csv:{i}: {code} symbol must be {CFA_SYMBOLS[code]}")

    # Against the reference lists: the French facts and the build output must match exactly.
    if input_dir is not None and input_dir.is_dir() and not errors:
        try:
            expected, _, _ = build(input_dir, out_dir, ledger)
        except SeedFailure as e:
            errors.append(f"rebuilding from {input_dir} failed: {e}")
        else:
            for name, text in expected.items():
                path = out_dir / name
                if path.is_file() and path.read_text(encoding="utf-8") != text:
                    errors.append(f"{name}: stale or edited by hand (differs from what build_seeds.py produces "
                                  f"from {input_dir}); run the script")
    elif input_dir is not None and not input_dir.is_dir():
        print(f"note: reference lists not found at {input_dir}; skipped the comparison with them",
              file=sys.stderr)
    return errors


# ===================================================================================================
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="reference lists (default: %(default)s)")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="seeds folder (default: %(default)s)")
    ap.add_argument("--ledger", type=Path, default=SCRIPT_DIR / "retired.csv",
                    help="retired keys/codes, kept reserved forever (default: %(default)s)")
    ap.add_argument("--check", action="store_true", help="validate the seeds folder instead of writing it")
    args = ap.parse_args(argv)

    if args.check:
        errors = check(args.output, args.input, args.ledger)
        if errors:
            print(f"seed check FAILED ({len(errors)} problem(s)) in {args.output}:", file=sys.stderr)
            for e in errors[:200]:
                print(f"  - {e}", file=sys.stderr)
            return 1
        print(f"seed check OK: {args.output}")
        return 0

    try:
        out, stats, registry = build(args.input, args.output, args.ledger)
    except SeedFailure as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    args.output.mkdir(parents=True, exist_ok=True)
    for name, text in out.items():
        path = args.output / name
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != text:
            with path.open("w", encoding="utf-8", newline="") as f:
                f.write(text)
            print(f"wrote {path} ({_count_rows(text) if name.endswith('.csv') else 'readme'})")
        else:
            print(f"unchanged {path}")
    ledger_text = registry.ledger_text()
    old_ledger = args.ledger.read_text(encoding="utf-8") if args.ledger.is_file() else None
    if old_ledger != ledger_text:
        args.ledger.write_text(ledger_text, encoding="utf-8", newline="")
        print(f"wrote {args.ledger} ({_count_rows(ledger_text)} retired keys/codes)")
    print(f"city-code clashes resolved: {stats['city_clashes']}; currency corrections: "
          f"{len(stats['currency_corrections'])}")
    errors = check(args.output, None)
    if errors:
        print("but the result fails the checks:", file=sys.stderr)
        for e in errors:
            print(f"  - {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
