"""What an amount question asks for: whether a question asks for an amount at all ("how
much", "what share of", "what did it cost"), and which units answer it best (money, a
percentage, a measure of a dimension, a count), strictly or as a preference. `analyse`
(`qa.reader.question`) calls it for the questions that ask for an amount."""

from __future__ import annotations

import re

from qa.reader.extract import CURRENCIES, DIMENSIONS, MEASURES, Kind, same_unit
from qa.reader.wanted import AUXILIARIES, WH_WORDS, WHICH, Wanted

__all__ = [
    "MANY_UNITS", "MONEY_VERB", "PART_ASKED", "amount_kind", "amount_wanted", "asks_amount",
    "asks_length", "asks_quantity", "unit_asked", "unit_named",
]


_AMOUNT = re.compile(
    # "What is the total amount due?", not "the amount of time it took"
    r"\bwhat (?:is|was|are|were) the (?:(?:total|full|final|net|gross|outstanding|remaining) )?"
    r"(?:amount|sum|balance)(?! of\b)"
    # "What was the total bill including VAT?", not "What is the invoice number?"
    r"|\bwhat (?:is|was|are|were) the (?:(?:total|full|final|outstanding) )?(?:bill|invoice)"
    r"(?=\s*(?:[?,]|$|(?:for|including|incl|with|due|to pay)\b))"
    # "What was the total floor area?": a measure of area, not any sentence about floors (nor
    # "what is the floor space used for?")
    r"|\bwhat (?:is|was|are|were|will be) the (?:(?:total|overall|gross|net|internal|usable|"
    r"floor|site|land|surface|living|plot) )+(?:area|space)(?=\s*(?:[?,]|$|(?:of|in|for)\b))"
    r"|\b(?:by )?how (?:much|many|big|large|far|high|valuable|expensive|costly|fast|low|small|"
    r"heavy|tall|deep|wide|thick|hot|cold|warm|old|young|often|frequently|loud|noisy|quiet)\b"
    r"|\bwhat (?:share|percentage|proportion|portion|fraction|valuation|amount|sum|price|percent|"
    r"temperature|weight|distance|length|height|depth|speed|area|volume|wingspan|age)\b"
    # "at what air temperature", "to what depths": one word before a measured quantity
    r"|(?<=\b(?:at|to) )what (?:[a-z-]+ )?(?:temperatures?|depths?|heights?|distances?|speeds?)\b"
    r"|\bat what age\b")
# An electrical resistance by what it is of: "the coil resistance", "the internal resistance"
_RESISTANCE = (r"(?:electrical|coil|winding|insulation|contact|internal|input|output|load|"
               r"series|earth|ground|loop) resistance")
# What a current is of: "the output current", "the quiescent current", "the max current"
_CURRENT_QUALIFIERS = ("output|input|quiescent|supply|load|leakage|charging|charge|peak|operating|"
                       "standby|shutdown|short-circuit|rated|max|maximum|minimum|typical|drive|"
                       "bias|ground|inrush|continuous|holding|forward|reverse|electric|electrical")
# ... where the phrase ends: "the output current?", "the output current at 5 V"; not "the
# minimum current wage"
_CURRENT_END = (r"(?=\s*(?:[?,.;]|$)|\s+(?:of|at|in|on|for|when|with|from|under|is|was|does|"
                r"do|did|can|draw|drawn|consumption|rating|limit)\b)")
# What a question about a measured quantity wants it to measure (the dimensions of
# extract.DIMENSIONS): "how heavy" a mass, not the distance in the next sentence.
_DIMENSION_CUES = tuple((dimension, re.compile(cue)) for dimension, cue in (
    ("mass", r"\bhow heavy\b|\bweigh|\bgrams\b|\bkilo(?:gram)?s\b|"
             r"\btonnes\b|\btons\b|\bounces\b"),
    ("length", r"\bhow (?:far|tall|deep|wide|thick)\b|\bhow high up\b"
               r"|\bhow high (?:above|over) (?:the )?(?:river|water|sea|ground|floor|street|valley|"
               r"road|surface|gorge|city|town)\b"
               r"|\b(?:distances?|lengths?|heights?|depths?|"
               r"wingspans?|widths?|diameters?|radius|apertures?|circumferences?|elevations?|"
               r"altitudes?|thickness)\b|(?<!square )(?<!cubic )(?:metres|meters|miles|feet)\b"
               r"(?! (?:per|an) hour)"
               r"|\binches\b"),
    ("temperature", r"\bhow (?:hot|cold|warm)\b|\btemperatures?\b|\bdegrees\b"),
    ("speed", r"\bspeeds?\b|\bknots\b|\bmph\b|\bper hour\b|\bmbps\b|\bbandwidth\b"),
    # not "how much storage" (a warehouse's square feet)
    ("data", r"\b(?:kilo|mega|giga|tera)bytes?\b|\bhow much data\b"
             r"|\bdata (?:allowance|limit|cap)\b"),
    ("volume", r"\bvolume\b|\blit(?:re|er)s\b|\bgallons\b|\bdos(?:es?|age)\b"),
    ("mass", r"\bdos(?:es?|age)\b"),  # "what dose": "10 mg", "5 ml"
    ("area", r"\barea\b|\bfloor ?space\b|\bhectares\b|\bacres\b"
             r"|\bsquare (?:metres|meters|kilometres|kilometers|miles|feet)\b"),
    # not "watt": "Watt's engine" is James Watt's; a kilowatt is power, a kilowatt-hour energy
    ("power", r"\bwatts\b|\b(?:kilo|mega|giga)watts?\b(?![\s-]hours?)|\bwattage\b|"
              r"\bhow powerful\b"),
    ("energy", r"\b(?:kilo|mega|giga|tera)watt[\s-]hours?\b|\bcalories\b|\bkwh\b"),
    ("sound", r"\bhow (?:loud|noisy|quiet)\b|\bdecibels?\b|\bnoise levels?\b"),
    # a pressure measured in the units measures.json holds, not "in response to pressure"
    ("pressure", r"\b(?:air|atmospheric|barometric|tyre|tire|cabin|sea-level)\s+pressure\b"
                 r"|\bhectopascals?\b|\bmillibars?\b|\b(?:kilo|mega)?pascals\b"
                 # a vacuum cleaner's or a pump's suction, in pascals
                 r"|\bsuction\b"),
    # electrical quantities, as a datasheet or a charger's label gives them
    ("voltage", r"\bvoltages?\b|\b(?:milli|kilo)?volts\b"),
    # a current drawn or delivered, not "the current price": the noun after a qualifier
    ("current", rf"\bhow much current\b|\b(?:{_CURRENT_QUALIFIERS})[\s-]current{_CURRENT_END}"
                r"|\bcurrent (?:draw|consumption|rating|limit)\b|\b(?:milli|micro)?amp(?:ere)?s\b"
                r"|\bamperage\b"),
    ("charge", r"\bbattery capacity\b|\b(?:milli)?amp[\s-]hours\b"),
    ("hertz", r"\b(?:kilo|mega|giga)?hertz\b|\b(?:switching|clock|sampling|carrier|cut-?off|"
              r"resonant) frequency\b|\brefresh rate\b"),
    # an electrical resistance, not "resistance to the reform"
    ("resistance", rf"\b{_RESISTANCE}\b|\bimpedance\b|\b(?:kil|meg)?ohms\b"),
    ("capacitance", r"\bcapacitance\b|\b(?:micro|nano|pico)?farads\b"),
))
# The comparatives a comparison asks with ("which is heavier, A or B?"): the dimension they
# compare, though "40% faster" or "twice as heavy" answer as well
_COMPARATIVE_CUES = tuple((dimension, re.compile(cue)) for dimension, cue in (
    ("mass", r"\b(?:heavier|lighter)\b"),
    ("length", r"\b(?:taller|thicker)\b"),
    ("temperature", r"\b(?:hotter|colder|warmer)\b"),
    ("speed", r"\b(?:faster|slower)\b"),
    ("sound", r"\b(?:louder|noisier|quieter)\b"),
))
# "What will it sell for?", "how much did the house sell for in 2020?"; not "what did the
# council sell for housing"
_SOLD_FOR = (r"\b(?:sell|sells|selling|sold)\s+for(?=\s*(?:\?|$|\s(?:in|at|on|last|this|"
             r"when|after|before)\b))")
MONEY_VERB = re.compile(  # whole words: not the "budget" of "low-budget", "profit" of "non-profit"
    r"(?<![\w-])(?:spend|spending|spent|pay|paid|cost|costs|costing|worth|valued|valuation|budget|revenue|"
    r"price|raise|raised|invest|invested|investing|fee|fees|fare|fares|subscription|"
    r"subscriptions|salary|salaries|wage|wages|rent|rents|deposit|deposits|toll|tolls|tuition|"
    r"sales|turnover|profit|profits|earnings|(?:total|annual|net|gross|yearly) income|"
    # what a year's accounts end with: "what was the club's surplus", "the bar takings"
    r"surplus|surpluses|deficit|deficits|takings|shortfall)\b"
    # "What did the quote come to?": the sum a bill, quote or estimate comes to
    r"|\b(?:come|comes|came|amount|amounts|amounted)\s+to\s*\??\s*$"
    rf"|{_SOLD_FOR}"
    # "What is the monthly charge for the plan?", "what's the charge if a payment fails?"; not
    # "what was the charge against him", "the charge on a proton", "the charges in the case"
    r"|\b(?:is|was|are|were) (?:the|its|their|your|my|our) (?:[\w-]+ ){0,2}charges?"
    r"(?=\s+(?:for|if|per|when)\b|\s*[?,]|$)")
# "How long is the route?" asks for a length, "how long did it take?" for a time: a "how long"
# question with a copula and no other verb may want either, the one its sentence gives.
_HOW_LONG_IS = re.compile(r"\bhow long (?:is|was|are|were) (?:the |an? )?[\w'’ -]+\??$")
_VERBISH = re.compile(r"\b\w+(?:ed|ing)\b|\b(?:take|took|last|lasted|stay|stayed|live|lived|"
                      r"run|ran|wait|go|went|be)\b")
_PERCENT_CUES = re.compile(
    # not "dropout" (a regulator's dropout voltage), nor "falls through" (a deal that fails)
    r"percent|percentage|share of|what share|\bstock|\bshares?\b|\bfall(?!s? through)|\bfell\b|"
    r"\bdrop(?!out)|"
    r"\bsink|\bsank\b|\brise\b|\brose\b|\brisen\b|declin|\bgain|how far|plummet|tumbl|"
    r"how much of\b|\bdiscounts?\b|\breductions?\b|\bpremiums?\b|\bmark-?ups?\b")
_MONEY_CUES = re.compile(
    r"[$€£]|\bcost|spend|spent|\bpay|\bpaid\b|invest|valuation|valued|worth|\bvalue|\braise|"
    r"\bfund|money|budget|revenue|price|loan|borrow|cash|capital|\blose\b|\blost\b|wiped|"
    r"commit|mobilis|mobiliz|\bburn|\bbill\b|\bdevote|donat|\bgrant|\bsales\b|turnover|profit|"
    r"earnings|\bfees?\b|salar|\bwages?\b|\brents?\b|\bdeposits?\b|\bdiscounts?\b|\breductions?\b"
    r"|\bsurplus|\bdeficits?\b|\btakings\b|\bshortfall|\bpremiums?\b"
    # "which is cheaper, A or B?": what a thing costs, compared
    r"|\bcheap|\bexpensive\b|\bpric(?:ey|ier|iest)\b|\bdear(?:er|est)\b|\baffordab"
    r"|\b(?:amount|sum|balance|total) (?:due|owed|owing|payable|outstanding)\b"
    # what a thing is sold for: "how much are the sellers asking", "what will it sell for"
    rf"|\basking\b|{_SOLD_FOR}")
# "How much is an annual pass?", "how much are two tickets": a price (a thing, not a measure)
_HOW_MUCH_IS_A = re.compile(r"\bhow much (?:is|are|was|were) (?:a|an|one|two|three)\b")
# What is offered for a job, priced as a whole: "the winning bid", "the lowest tender"
_BID_WORDS = r"bids?|tenders?|quot(?:e|es|ation|ations)"
# Sums that are also things counted: "how much is the penalty" asks for money, "how many
# penalties did he score" for a count
_COUNTABLE_MONEY_CUES = re.compile(
    r"penalt|\bfines?\b|\b(?:sur)?charges?\b|compensat|\bdamages\b|refund|allowance|\bbonus|"
    r"\btax(?:es)?\b|tuition|\bfares?\b|\btolls?\b|subscription"
    # "how much was the winning bid", not "how many bids came in"
    rf"|(?<!number of )\b(?:{_BID_WORDS}|offers?)\b")


_FIRST_WH = re.compile(rf"\b(?:{'|'.join(sorted(WH_WORDS))})\b")


def asks_amount(q: str) -> bool:
    """An amount cue that holds the question's first wh-word: "how much did it cost", "what
    share of", not "which firm estimated how much it would save" (that asks for the firm)."""
    first = _FIRST_WH.search(q)
    m = _AMOUNT.search(q, first.start()) if first else None
    return m is not None and m.start() <= first.start() < m.end()


def asks_length(q: str) -> bool:
    """ "How long is the Caldera route?": a copula and a noun phrase, no other verb."""
    m = _HOW_LONG_IS.search(q)
    return m is not None and not _VERBISH.search(m.group())


# Nouns that name a quantity whatever is measured: "What hazard ratio did the trial report?"
# Not "rates" ("what rates of illness": "higher rates") nor "at what rate" ("rapidly").
_QUANTITY_NOUNS = frozenset({"ratio", "ratios", "rate", "concentration", "concentrations",
                             "dose", "doses", "dosage", "yield", "yields", "limit", "discount",
                             "discounts", "reduction", "reductions", "magnitude",
                             "magnification"})


# Things measured in levels: "what humidity levels", not "what skill levels"
_LEVELED = frozenset({"humidity", "noise", "sound", "water", "oxygen", "sugar", "alcohol",
                      "pollution", "radiation", "pressure", "fuel", "battery", "light", "co2",
                      "carbon", "glucose", "cholesterol", "volume", "ozone", "lead", "radon",
                      "moisture", "nitrate", "chlorine", "arsenic", "pollen", "river", "dust",
                      "damp", "meter", "gauge", "temperature"})
# Readings that are no measurement: a text read out, or a bill's stage in a parliament
_NOT_READ = (r"(?:first|second|third|final|further|bible|poetry|public|book|close|required|"
             r"recommended|suggested|essential|background|morning|evening|lesson|gospel|"
             r"scripture|tarot|palm|map|testament|torah|psalm|epistle|assigned|set|course|"
             r"wider|extra|holiday|summer|guided|shared|group|silent|dramatic|staged|"
             r"lectionary|class)")
# "What was Acme's jobless rate for 2024?": the noun after a copula and the subject's name.
_QUANTITY_AFTER_COPULA = re.compile(
    # up to five words before the noun: a keyword query read as "what is the ..." names its
    # thing in full ("what is the island marathon runners completion rate")
    r"\bwhat (?:is|was|are|were) (?:the|its|their|his|her|[\w-]+'s) (?:[\w-]+ ){0,5}?"
    r"(?:ratios?|rate|concentrations?|doses?|dosage|yields?|limit|discounts?|magnitude|"
    rf"magnification|voltages?|capacitance|{_RESISTANCE}|impedance|battery capacity|"
    r"suction(?: power)?|"
    rf"(?:{_CURRENT_QUALIFIERS})[\s-]current|"
    # "what is the quote amount": an amount of whatever the phrase names ("the amount of
    # time it took" asks for a time)
    r"amounts?(?! of\b)|"
    rf"(?:{'|'.join(sorted(_LEVELED))}) levels?|"
    # a meter's reading, not "the first reading" of a bill nor "the bible reading"
    rf"(?!{_NOT_READ}\b)[\w-]+ readings?|"
    # "what is the insurance value of the vase": a sum, not "the value of friendship"
    r"(?:insurance|insured|market|sale|resale|agreed|estimated|book|face|replacement) values?|"
    r"(?:minimum|maximum|legal|permitted) "
    # not "the maximum length of stay": a time
    r"(?:length(?! of (?:stay|time|service|tenure|employment|contract|visit|leave|treatment))"
    r"|height|width|depth|weight|distance|speed|temperature))"
    r"(?:\?|$|,| (?:of|for|in|at|"
    r"on|to|from|with|per|among|between|during|across|this|last|that)\b)")


def asks_quantity(q: str) -> bool:
    """ "What hazard ratio did ...", "what rate of interest": a quantity noun that ends the
    phrase after "what"/"which" (before a verb or a preposition)."""
    if _QUANTITY_AFTER_COPULA.search(q):
        return True
    m = WHICH.search(q)
    if m is None or q[max(0, m.start() - 3):m.start()] == "at ":
        return False
    words = [w.strip("?,.") for w in m.group(1).split()]
    for i, word in enumerate(words[:3]):
        if word in AUXILIARIES or word == "of":
            return False
        after = words[i + 1] if i + 1 < len(words) else None
        if word in _QUANTITY_NOUNS:  # the phrase's last noun: not "what birth rate policy"
            return after is None or after in AUXILIARIES or after in _AFTER_NOUN
        if word in ("level", "levels", "reading", "readings") and i and words[i - 1] in _LEVELED:
            return after is None or after in AUXILIARIES  # "what humidity levels can I choose"
    return False


_AFTER_NOUN = frozenset({"of", "for", "in", "at", "on", "to", "from", "with", "per"})


def amount_wanted(question: str) -> Wanted:
    """An amount, with the units the question's words prefer (for comparisons)."""
    return amount_kind(" ".join(question.lower().split()), unit_named(question))


# Words that ask for a price, whatever else the question says: a sum of money answers them.
# Not "worth": "how much is the exam worth" asks for a share of the grade as often as money.
_PRICE = re.compile(r"\b(?:cost|costs|costing|price|priced|pay|paid|spend|spent|spending|"
                    r"budget|fee|fees|fare|salary|wages?|charge|charged|money|prize|tickets?|"
                    r"rent|deposit|(?:amount|sum|balance|total) (?:due|owed|owing|payable|"
                    r"outstanding)|cheap(?:er|est)?|(?:more|less|most|least) expensive|"
                    rf"pric(?:ier|iest)|costl(?:ier|iest)|dear(?:er|est))\b|{_SOLD_FOR}")
# "How much was the winning bid?": a sum ("how much were bids up" asks how they changed)
_BID = re.compile(rf"\b(?:{_BID_WORDS})\b")
# What a business takes in is money ("What is Acme's revenue for 2024?" is not answered by
# "almost a quarter"), unless the question asks how it changed ("how much did revenue grow").
_TAKINGS = re.compile(r"\b(?:revenues?|turnover|earnings|profits?|income|takings)\b"
                      r"(?!\s+(?:margins?|growth|rates?|ratios?|shares?\s+of)\b)")
_CHANGED = re.compile(r"\b(?:grow|grew|grown|growth|increase[ds]?|rise|rose|risen|fall|fell|"
                      r"fallen|drop|dropped|decline[ds]?|change[ds]?|up|down|shrink|shrank)\b")


# "What share of the colonies died?" asks for a part of a whole: a percentage or a fraction,
# never the count or the sum beside it.
PART_ASKED = re.compile(r"\b(?:what|which) (?:share|percentage|percent|proportion|portion|"
                        r"fraction)\b")


def amount_kind(q: str, unit: str | None = None) -> Wanted:
    """`q` in lower case; `unit` the dimension of a unit the question ends with (`unit_named`)."""
    if PART_ASKED.search(q):
        return Wanted(Kind.AMOUNT, frozenset({"%", "fraction"}), "amount", strict=True)
    units = _amount_units(q, unit)
    strict = (units <= DIMENSIONS | {"age", "frequency"}
              or units <= CURRENCIES and bool(_PRICE.search(q) or (
                  _TAKINGS.search(q) or _BID.search(q)) and not _CHANGED.search(q)))
    adjective = _HOW_MEASURED.search(q)
    return Wanted(Kind.AMOUNT, units, "amount", strict=strict,
                  measured=adjective.group(1) if adjective else "")


# "How many hectares" counts a unit of measure: a measure answers, not a count of things.
# MEASURES keys a unit's words apart by spaces; a question may join them ("kilowatt-hours").
_UNIT_NAMES = "|".join(re.escape(u).replace(r"\ ", r"[\s-]")
                       for u in sorted(MEASURES, key=len, reverse=True) if len(u) > 2)
# "how many km" too: a symbol a question writes as a word
MANY_UNITS = re.compile(rf"\bhow many (?:{_UNIT_NAMES}|"
                         rf"{'|'.join(re.escape(u) for u in MEASURES if len(u) == 2)})\b")
# "What is its power consumption in watts?": a measure in that unit's dimension.
_IN_UNITS = re.compile(rf"\bin (?P<unit>(?!degrees\b)(?:{_UNIT_NAMES}))(?: (?:per|an?) \w+)?"
                       r"\s*(?:[?.,]|$)")
_HOW_MEASURED = re.compile(r"\bhow (long|deep|high|tall|wide|thick|heavy|old|big|large)\b")


def unit_named(question: str) -> str | None:
    """The dimension of the unit a question ends with ("... in watts?": power), read as
    written: a unit is written in lower case, "in Watts" is a place."""
    m = _IN_UNITS.search(" ".join(question.replace("’", "'").split()))
    return None if m is None else MEASURES[" ".join(m.group("unit").replace("-", " ").split())]


# "in feet", "how many sq ft": the unit itself, as a question writes it (symbols keep case)
_ASKED_UNIT = re.compile(rf"\b(?:in|(?i:how many)) (?P<unit>{_UNIT_NAMES}|"
                         rf"{'|'.join(re.escape(u) for u in MEASURES if len(u) == 2)})\b")


def unit_asked(question: str) -> str:
    m = _ASKED_UNIT.search(" ".join(question.replace("’", "'").split()))
    return same_unit(m.group("unit")) if m else ""


def _amount_units(q: str, unit: str | None = None) -> frozenset[str]:
    # "How far" asks how far something moved, a percentage, even when the subject's own words
    # sound like money ("the investment group's stock").
    # "How many drivers broke the speed limit": drivers are counted, whatever else is measured
    counting = re.search(r"\bhow many\b", q) is not None and not MANY_UNITS.search(q)
    # "How much will they pay per kWh": the unit a rate is per is not the one asked for
    # ... nor that of a figure the question gives ("for its 300 tonnes")
    rated = _GIVEN_FIGURE.sub(" ", _PER_UNIT.sub("per", q))
    dimensions = set() if counting else {d for d, cue in _DIMENSION_CUES if cue.search(rated)}
    compared = set() if counting else {d for d, cue in _COMPARATIVE_CUES if cue.search(q)}
    if compared:  # not strict: "40% faster", "twice as heavy"
        dimensions |= compared | {"%", "fraction", "times"}
    if not counting and unit:
        dimensions.add(unit)
    if re.search(r"\bhow far\b", q):
        return frozenset({"%", "fraction", *dimensions})
    if _PRECIPITATION.search(q):  # "how much rain fell": millimetres, not a fall in per cent
        return frozenset({"length", *dimensions})
    if re.search(r"\bhow (?:old|young)\b|\bwhat age\b|\bat what age\b", q):
        return frozenset({"age"})
    if re.search(r"\bhow (?:often|frequently)\b", q):  # "once daily", "every six months"
        return frozenset({"frequency"})
    if re.search(r"\bmagni(?:tude|fication)s?\b", q) and not (dimensions
                                                              or _MONEY_CUES.search(q)):
        return frozenset({"count", "times"})  # a bare number: "6.1", "250×"; no "80 mm"
    prefer: set[str] = set(dimensions)
    if _PERCENT_CUES.search(q):
        prefer |= {"%", "fraction"}
    if re.search(r"how much more|how many times|\btimes\b", q):
        prefer |= {"times", "frequency"}
    if re.search(r"how many\b", q) and not MANY_UNITS.search(q):  # "how many hectares"
        prefer |= {"count"}
    if (_MONEY_CUES.search(q) or not counting and _COUNTABLE_MONEY_CUES.search(q)
            or not prefer and _HOW_MUCH_IS_A.search(q)):
        prefer |= CURRENCIES
    return frozenset(prefer or CURRENCIES | DIMENSIONS | {"%", "fraction", "times", "count"})


_GIVEN_FIGURE = re.compile(r"\b\d[\d,.]*\s?[^\W\d_]+")
_PER_UNIT = re.compile(r"\bper (?!hour\b|second\b|minute\b)(?:square |cubic )?[^\W\d_][\w²³/-]*")
_PRECIPITATION = re.compile(r"\bhow much (?:rain|rainfall|snow|snowfall|precipitation|hail)"
                            r"(?=\s+(?:fell|falls?|did|does|was|were|is|has|had|will|would|could|"
                            r"in|at|on|during|over|between)\b|\s*[?,]|$)")
