"""Synthetic but realistic Dutch customer-service replies for the benchmarks.

Every reply has a greeting, 2 to 6 body sentences and a sign-off with a
signature. The body mixes, per reply profile, bad news, acknowledging the
customer's feeling, alternatives, the four pitfalls (giving in, distancing,
defending, cutting off), neutral context and closings. All sentences were
written for this benchmark; scenarios cover a housing corporation, a
municipality and a care provider.

`generate_replies(n, seed)` is deterministic for a given seed (it uses its own
`random.Random`), so every run of the benchmark lints the same texts.
Standard library only: the benchmark's child processes import this module
without importing lint-reply or spaCy.
"""

from __future__ import annotations

import random

# --- the fixed ~150-word draft for the cold-start measurement ----------------

COLD_START_DRAFT = """Beste mevrouw Visser,

Dank u wel voor uw bericht van 14 maart over de lekkage in uw badkamer. Ik lees dat u al weken last heeft van vocht en schimmel, en dat u zich zorgen maakt over de gezondheid van uw kinderen. Dat begrijp ik heel goed.

Wij kunnen uw badkamer helaas niet dit jaar volledig vernieuwen. De renovatie van uw complex staat gepland voor het voorjaar van 2027, en tot die tijd vervangen wij alleen onderdelen die echt kapot zijn.

Wat ik wel voor u kan doen, is deze week een monteur sturen die de kitnaden vervangt en de afvoer controleert. Daarnaast kan een collega van het team Woonklimaat bij u langskomen om samen te bekijken hoe u het vocht in huis kunt beperken.

Ik bel u vrijdag om een afspraak te maken. Heeft u eerder vragen, dan kunt u mij bereiken op 010 123 45 67.

Met vriendelijke groet,

Marieke de Boer
Team Klantcontact
Woonstichting De Linde
"""

# --- scenarios: the slots the generic sentences are filled with ---------------

SCENARIOS = [
    {
        "org": "Woonstichting Het Anker",
        "team": "Team Klantcontact",
        "onderwerp": "de huurverhoging per 1 juli",
        "aanvraag": "uw bezwaar tegen de huurverhoging",
        "gevraagd": "de huurverhoging in te trekken",
        "reden": "het nieuwe bedrag binnen de grens valt die de overheid voor dit jaar heeft vastgesteld",
        "situatie": "zich zorgen maakt over uw vaste lasten",
        "instantie": "de Huurcommissie",
        "termijn": "zes weken",
        "besluiten": [
            "De huurverhoging gaat per 1 juli gewoon door.",
            "Wij kunnen de huurverhoging helaas niet intrekken.",
        ],
        "aanbod": [
            "samen met u uitrekenen of u recht heeft op huurtoeslag.",
            "een betalingsregeling met u afspreken als de hogere huur in het begin lastig is.",
        ],
        "alternatieven": [
            "Door de hogere huur heeft u misschien recht op huurtoeslag; ik reken dat graag samen met u na.",
            "Als betalen lastig wordt, kunnen we samen een betalingsregeling afspreken.",
            "Onze budgetcoach kan gratis met u naar uw maandelijkse uitgaven kijken.",
        ],
    },
    {
        "org": "Woonbron Oost",
        "team": "Team Reparatieverzoeken",
        "onderwerp": "de reparatie van uw keukenkraan",
        "aanvraag": "uw verzoek om de keukenkraan te vervangen",
        "gevraagd": "de kraan op onze kosten te vervangen",
        "reden": "een lekkende kraan onder het kleine onderhoud van de huurder valt",
        "situatie": "al een week met een lekkende kraan zit",
        "instantie": "onze klachtencommissie",
        "termijn": "vier weken",
        "besluiten": [
            "De reparatie van de kraan valt helaas onder het onderhoud dat voor rekening van de huurder is.",
            "Wij voeren deze reparatie daarom niet uit.",
        ],
        "aanbod": [
            "u aanmelden voor ons Servicefonds, zodat wij dit soort reparaties voortaan wel voor u doen.",
            "u het nummer geven van een erkende loodgieter in uw buurt.",
        ],
        "alternatieven": [
            "Met ons Servicefonds laat u deze reparatie voor een klein bedrag per maand toch door ons doen.",
            "Op onze website staat een filmpje waarin u ziet hoe u zelf een kraanleertje vervangt.",
            "Ik kan u het nummer geven van een erkende loodgieter in uw buurt.",
        ],
    },
    {
        "org": "Woonstad Zuidhaven",
        "team": "Afdeling Woonruimteverdeling",
        "onderwerp": "uw aanvraag voor een urgentieverklaring",
        "aanvraag": "uw aanvraag voor urgentie",
        "gevraagd": "u voorrang te geven op de wachtlijst",
        "reden": "uw woonsituatie niet binnen de criteria van de urgentieregeling valt",
        "situatie": "al maanden met drie kinderen in een te kleine woning woont",
        "instantie": "de bezwaarcommissie van de gemeente",
        "termijn": "zes weken",
        "besluiten": [
            "Uw aanvraag voor urgentie is afgewezen.",
            "U komt helaas niet in aanmerking voor een urgentieverklaring.",
        ],
        "aanbod": [
            "een gesprek met onze wooncoach voor u inplannen.",
            "u uitleggen hoe u kunt reageren op woningen die via loting worden aangeboden.",
        ],
        "alternatieven": [
            "U kunt wel reageren op woningen die via loting worden aangeboden; daar telt uw inschrijfduur niet mee.",
            "Onze wooncoach kijkt graag met u welke wijken een kortere wachttijd hebben.",
            "Misschien is een woningruil iets voor u; op onze website vindt u huurders die willen ruilen.",
        ],
    },
    {
        "org": "Gemeente Rivierstad",
        "team": "Team Parkeren",
        "onderwerp": "uw aanvraag voor een tweede parkeervergunning",
        "aanvraag": "uw aanvraag voor een tweede parkeervergunning",
        "gevraagd": "u een tweede vergunning voor uw adres te geven",
        "reden": "er in uw straat een wachtlijst geldt voor tweede vergunningen",
        "situatie": "elke avond lang moet zoeken naar een plek",
        "instantie": "de afdeling Bezwaar en Beroep",
        "termijn": "zes weken",
        "besluiten": [
            "Wij kunnen u op dit moment geen tweede parkeervergunning geven.",
            "Uw aanvraag voor een tweede vergunning is niet toegekend.",
        ],
        "aanbod": [
            "u op de wachtlijst voor een tweede vergunning zetten.",
            "u een abonnement met bewonerskorting in de garage aan de Havenkade aanbieden.",
        ],
        "alternatieven": [
            "Ik kan u wel op de wachtlijst zetten; de wachttijd is nu ongeveer vier maanden.",
            "In de parkeergarage aan de Havenkade kunt u een abonnement nemen met bewonerskorting.",
            "Voor bezoek kunt u gebruikmaken van de digitale bezoekersregeling.",
        ],
    },
    {
        "org": "Gemeente Rivierstad",
        "team": "Team Inkomen",
        "onderwerp": "uw aanvraag voor bijzondere bijstand",
        "aanvraag": "uw aanvraag voor bijzondere bijstand voor een nieuwe wasmachine",
        "gevraagd": "de kosten van de wasmachine te vergoeden",
        "reden": "uw inkomen boven de grens van de regeling ligt",
        "situatie": "het financieel zwaar heeft sinds uw scheiding",
        "instantie": "de bezwaarcommissie",
        "termijn": "zes weken",
        "besluiten": [
            "Wij hebben uw aanvraag voor bijzondere bijstand afgewezen.",
            "U heeft helaas geen recht op een vergoeding voor de wasmachine.",
        ],
        "aanbod": [
            "u aanmelden bij de Kredietbank voor een renteloze lening.",
            "een afspraak voor u maken met een schuldhulpmaatje.",
        ],
        "alternatieven": [
            "Bij de Kringloop Rivierstad kunt u met uw stadspas een gebruikte wasmachine met korting kopen.",
            "U kunt wel een renteloze lening aanvragen bij de Kredietbank.",
            "Een schuldhulpmaatje kan samen met u kijken welke regelingen er nog meer zijn.",
        ],
    },
    {
        "org": "Zorggroep De Lindehof",
        "team": "Cliëntenservice",
        "onderwerp": "de uren huishoudelijke hulp",
        "aanvraag": "uw verzoek om meer uren huishoudelijke hulp",
        "gevraagd": "uw uren huishoudelijke hulp uit te breiden",
        "reden": "de indicatie van de gemeente maximaal drie uur per week toestaat",
        "situatie": "na uw operatie het huishouden niet meer alleen kunt doen",
        "instantie": "het Wmo-loket van de gemeente",
        "termijn": "zes weken",
        "besluiten": [
            "Wij kunnen uw uren huishoudelijke hulp niet uitbreiden.",
            "Meer dan drie uur per week is helaas niet mogelijk.",
        ],
        "aanbod": [
            "u helpen met het formulier voor een herindicatie.",
            "de wijkverpleegkundige vragen om bij u langs te komen.",
        ],
        "alternatieven": [
            "U kunt wel een herindicatie aanvragen bij het Wmo-loket; ik help u graag met het formulier.",
            "Via de vrijwilligerscentrale kan iemand u helpen met boodschappen doen.",
            "Onze wijkverpleegkundige kan langskomen om te kijken welke hulpmiddelen het werk lichter maken.",
        ],
    },
    {
        "org": "Zorggroep De Lindehof",
        "team": "Team Planning",
        "onderwerp": "de wachtlijst voor dagbesteding",
        "aanvraag": "uw aanmelding voor dagbesteding op maandag",
        "gevraagd": "uw vader deze maand al te laten beginnen",
        "reden": "alle plaatsen op maandag bezet zijn",
        "situatie": "de zorg voor uw vader bijna niet meer volhoudt",
        "instantie": "onze cliëntenraad",
        "termijn": "vier weken",
        "besluiten": [
            "Uw vader kan helaas nog niet op maandag beginnen bij de dagbesteding.",
            "Er is deze maand geen plaats vrij.",
        ],
        "aanbod": [
            "een plaats op woensdag voor uw vader reserveren.",
            "de wachtlijst voor u in de gaten houden en u bellen zodra er iets vrijkomt.",
        ],
        "alternatieven": [
            "Op woensdag is er wel een plaats; zal ik die voor uw vader reserveren?",
            "De mantelzorgconsulent van de gemeente kan met u kijken naar respijtzorg.",
            "Ik houd de wachtlijst voor u in de gaten en bel u zodra er op maandag iets vrijkomt.",
        ],
    },
    {
        "org": "Gemeente Rivierstad",
        "team": "Team Afval en Reiniging",
        "onderwerp": "het ophalen van uw grofvuil",
        "aanvraag": "uw verzoek om het grofvuil deze week nog op te halen",
        "gevraagd": "een extra ophaalronde in uw straat te rijden",
        "reden": "de planning voor deze week al vol zit",
        "situatie": "het grofvuil al dagen in uw portiek heeft staan",
        "instantie": "het klantcontactcentrum",
        "termijn": "twee weken",
        "besluiten": [
            "Wij kunnen uw grofvuil deze week niet meer ophalen.",
            "Een extra ophaalronde is helaas niet mogelijk.",
        ],
        "aanbod": [
            "de eerste vrije ophaaldatum voor u vastleggen.",
            "u uitleggen hoe u het grofvuil gratis naar het afvalbrengstation brengt.",
        ],
        "alternatieven": [
            "U kunt het grofvuil wel gratis wegbrengen naar het afvalbrengstation aan de Industrieweg.",
            "Ik heb voor u de eerste vrije datum vastgelegd: dinsdag 14 mei.",
            "Met de buurtbus van de Milieustraat kunnen wij het voor u ophalen tegen een kleine vergoeding.",
        ],
    },
]

# --- generic sentences by function ------------------------------------------

CONTEXT = [
    "Dank u wel voor uw bericht van {datum} over {onderwerp}.",
    "Bedankt voor uw telefoontje van vorige week over {onderwerp}.",
    "U vroeg ons {gevraagd}.",
    "Wij hebben {aanvraag} zorgvuldig bekeken.",
    "Ik heb uw vraag besproken met mijn collega's van de afdeling.",
    "In uw e-mail van {datum} schrijft u dat u nog niets van ons had gehoord.",
]

BAD_NEWS = [
    "Helaas moeten wij {aanvraag} afwijzen.",
    "Wij kunnen {aanvraag} helaas niet honoreren, omdat {reden}.",
    "Ik moet u laten weten dat wij niet kunnen ingaan op {aanvraag}.",
    "Na zorgvuldige beoordeling hebben wij besloten {aanvraag} af te wijzen.",
    "Het is niet mogelijk om {gevraagd}, omdat {reden}.",
]

REASON = [
    "Dat komt doordat {reden}.",
    "De reden is dat {reden}.",
    "Dit besluit hebben wij genomen omdat {reden}.",
]

ACKNOWLEDGEMENT = [
    "Ik begrijp dat dit een flinke tegenvaller voor u is.",
    "Ik kan me goed voorstellen dat u teleurgesteld bent over dit besluit.",
    "Ik lees in uw bericht dat u {situatie}.",
    "Dat u hier boos over bent, begrijp ik heel goed.",
    "Het is begrijpelijk dat u hiervan geschrokken bent.",
    "Ik hoor dat deze situatie u veel zorgen geeft.",
    "Wat vervelend dat u {situatie}.",
]

ALTERNATIVE = [
    "Wat ik wel voor u kan doen, is {aanbod}",
    "U kunt wel bezwaar maken bij {instantie}; dat moet binnen {termijn} na de datum van deze brief.",
    "Er is wel een andere mogelijkheid. {alternatief}",
    "{alternatief}",
]

CAPITULATION = [
    "U heeft eigenlijk helemaal gelijk, dit had nooit zo mogen gaan.",
    "Voor deze ene keer maken wij een uitzondering.",
    "Ik ga kijken of ik het toch nog voor u kan regelen.",
    "Als u blijft aandringen, zal ik het alsnog aan mijn leidinggevende voorleggen.",
]

DISTANCING = [
    "Persoonlijk vind ik deze regel ook onzin, maar ik moet me eraan houden.",
    "Ik ben het er zelf ook niet mee eens, maar de directie heeft zo besloten.",
    "Eerlijk gezegd snap ik zelf ook niet waarom het beleid zo streng is.",
    "Ik kan er ook niets aan doen, het komt van hogerhand.",
]

DEFENSIVE = [
    "Wij hebben in deze kwestie gewoon correct gehandeld.",
    "Had u onze brief goed gelezen, dan had u dit geweten.",
    "Het ligt echt niet aan ons, u had zich eerder moeten melden.",
    "Bovendien staat dit duidelijk in de voorwaarden, en dat is ook al eerder aan u uitgelegd.",
]

ABRUPT = [
    "Hier valt verder niet over te discussiëren.",
    "Wij beschouwen deze zaak hiermee als afgesloten.",
    "Verdere correspondentie hierover nemen wij niet meer in behandeling.",
    "Het besluit staat vast.",
]

CLOSING = [
    "Heeft u nog vragen, dan kunt u mij bellen op {telefoon}.",
    "Ik bel u volgende week om te horen hoe het gaat.",
    "Laat u mij weten of u hier gebruik van wilt maken?",
    "Ook met andere vragen kunt u altijd bij mij terecht.",
    "Ik hoor graag van u hoe u verder wilt.",
]

NEUTRAL_CONTEXT = [
    "Dank u wel voor uw bericht van {datum}.",
    "Bedankt voor uw melding van {datum}.",
    "Hierbij bevestig ik wat we vanochtend aan de telefoon hebben afgesproken.",
]

NEUTRAL = [
    "Uw afspraak met de monteur staat gepland op {datum} tussen 8.00 en 12.00 uur.",
    "Wij hebben uw nieuwe rekeningnummer verwerkt; de volgende betaling gaat van dit nummer af.",
    "In de bijlage vindt u het formulier dat u heeft opgevraagd.",
    "Uw melding heeft het nummer {nummer} gekregen.",
    "De monteur neemt een half uur van tevoren telefonisch contact met u op.",
    "Wilt u ervoor zorgen dat de meterkast goed bereikbaar is?",
]

GREETINGS = ["Beste mevrouw {achternaam},", "Beste meneer {achternaam},", "Geachte heer {achternaam},",
             "Geachte mevrouw {achternaam},", "Hallo {voornaam},", "Dag {voornaam},", "Beste {voornaam},"]
SIGN_OFFS = ["Met vriendelijke groet,", "Met vriendelijke groeten,", "Hartelijke groet,", "Vriendelijke groet,"]
LAST_NAMES = ["Jansen", "de Vries", "Bakker", "Öztürk", "El Amrani", "Visser", "Smit", "Meijer", "de Boer",
              "Mulder", "de Groot", "Bos", "Hendriks", "van Dijk", "Yılmaz", "Nguyen", "Kramer", "Brouwer"]
FIRST_NAMES = ["Sanne", "Mohamed", "Anouk", "Kees", "Fatima", "Daan", "Esther", "Ruud", "Ingrid", "Joris",
               "Priya", "Lotte", "Bram", "Naima", "Henk", "Sophie"]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december"]

# Reply profiles: (weight, the sentence functions in order; "?" = optional, "|" = one of).
PROFILES = [
    (30, ["context?", "acknowledgement", "bad_news", "reason?", "alternative", "closing"]),
    (15, ["acknowledgement", "bad_news", "alternative", "alternative?", "closing?"]),
    (15, ["context?", "bad_news", "reason?", "pitfall", "pitfall?", "closing?"]),
    (10, ["bad_news", "defensive", "abrupt"]),
    (10, ["context?", "acknowledgement?", "bad_news", "capitulation|distancing", "alternative?", "closing?"]),
    (10, ["neutral_context", "neutral", "neutral?", "closing"]),
    (10, ["bad_news", "reason", "closing?"]),
]

GROUPS = {
    "context": CONTEXT,
    "bad_news": BAD_NEWS,
    "reason": REASON,
    "acknowledgement": ACKNOWLEDGEMENT,
    "alternative": ALTERNATIVE,
    "capitulation": CAPITULATION,
    "distancing": DISTANCING,
    "defensive": DEFENSIVE,
    "abrupt": ABRUPT,
    "closing": CLOSING,
    "neutral": NEUTRAL,
    "neutral_context": NEUTRAL_CONTEXT,
}
PITFALLS = ["capitulation", "distancing", "defensive", "abrupt"]


def _capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _sentence(function: str, scenario: dict, slots: dict, rng: random.Random, used: set[str]) -> str:
    if function == "pitfall":
        function = rng.choice(PITFALLS)
    if function == "bad_news" and rng.random() < 0.4:
        options = scenario["besluiten"]
    else:
        options = GROUPS[function]
    fresh = [s for s in options if s not in used] or options
    template = rng.choice(fresh)
    used.add(template)
    fresh_alternatives = [a for a in scenario["alternatieven"] if a not in used] or scenario["alternatieven"]
    alternatief = rng.choice(fresh_alternatives)
    if "{alternatief" in template:
        used.add(alternatief)
    values = dict(scenario, **slots)
    values["alternatief"] = alternatief
    values["aanbod"] = rng.choice(scenario["aanbod"])  # a clause for "Wat ik wel voor u kan doen, is ..."
    return _capitalise(template.format(**values))


def _body(scenario: dict, slots: dict, rng: random.Random) -> list[str]:
    weights = [w for w, _ in PROFILES]
    steps = rng.choices([p for _, p in PROFILES], weights=weights)[0]
    functions = []
    for step in steps:
        optional = step.endswith("?")
        step = step.rstrip("?")
        if optional and rng.random() < 0.5:
            continue
        functions.append(rng.choice(step.split("|")))
    used: set[str] = set()
    sentences = [_sentence(f, scenario, slots, rng, used) for f in functions]
    while len(sentences) < 2:  # every reply has at least two body sentences
        sentences.append(_sentence("closing", scenario, slots, rng, used))
    return sentences[:6]


def _paragraphs(sentences: list[str], rng: random.Random) -> list[str]:
    """Group the sentences into 1 to 3 paragraphs, as people do in e-mail."""
    count = min(len(sentences), rng.randint(1, 3))
    cuts = sorted(rng.sample(range(1, len(sentences)), count - 1)) if count > 1 else []
    bounds = [0, *cuts, len(sentences)]
    return [" ".join(sentences[a:b]) for a, b in zip(bounds, bounds[1:])]


def generate_reply(rng: random.Random) -> str:
    scenario = rng.choice(SCENARIOS)
    slots = {
        "achternaam": rng.choice(LAST_NAMES),
        "voornaam": rng.choice(FIRST_NAMES),
        "datum": f"{rng.randint(1, 28)} {rng.choice(MONTHS)}",
        "telefoon": f"0{rng.randint(10, 79)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        "nummer": f"M-{rng.randint(100000, 999999)}",
    }
    greeting = rng.choice(GREETINGS).format(**slots)
    paragraphs = _paragraphs(_body(scenario, slots, rng), rng)
    writer = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    signature = f"{rng.choice(SIGN_OFFS)}\n\n{writer}\n{scenario['team']}\n{scenario['org']}"
    return "\n\n".join([greeting, *paragraphs, signature]) + "\n"


def generate_replies(count: int, seed: int = 20240601) -> list[str]:
    rng = random.Random(seed)
    return [generate_reply(rng) for _ in range(count)]


def text_of_size(size_bytes: int, seed: int = 7) -> str:
    """Replies concatenated (a blank line between them) to exactly about `size_bytes` UTF-8 bytes.

    The last reply is cut at a word boundary so that the text never exceeds the size.
    """
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while True:
        reply = generate_reply(rng) + "\n"
        length = len(reply.encode("utf-8"))
        if total + length > size_bytes:
            break
        parts.append(reply)
        total += length
    room = size_bytes - total
    cut = reply.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    parts.append(cut)
    return "".join(parts)


if __name__ == "__main__":  # a look at what the benchmark lints
    for text in generate_replies(3):
        print(text)
        print("-" * 60)
    print(f"cold-start draft: {len(COLD_START_DRAFT.split())} words")
