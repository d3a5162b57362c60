"""What a question wants: the record `analyse` makes (`Wanted`), and the words a question
opens with, read by `qa.reader.question` and `qa.reader.asked_amount` alike."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.reader.extract import Kind

__all__ = ["AUXILIARIES", "WHICH", "WH_WORDS", "Wanted"]


@dataclass(frozen=True, slots=True)
class Wanted:
    kind: Kind | None  # None: the whole best sentence is the answer
    prefer: frozenset[str]  # span units or kinds that fit best ("%", "USD", "person", ...)
    label: str  # for messages and JSON: "amount", "date", "person", "org", "place", "sentence"
    many: bool = False  # asks for several ("which companies"): a list of them answers
    # Only amounts in `prefer`'s units (or bare numbers) answer: "what did it cost" is not
    # answered by "642 tons", nor "how heavy" by "76 centimetres", nor "how old" by "a third".
    strict: bool = False
    # The adjective of "how long (deep, high ...)": a measure followed by it ("48 metres
    # long") says what the question asks, where the sentence's other lengths do not.
    measured: str = ""
    # Years the question measures against ("compared with the 2021 survey", "than in 2021"):
    # a figure of that year is the baseline, not the one asked for.
    compared: frozenset[str] = frozenset()
    # "By how much did it fall?" asks for the change, not the level it fell to.
    change: bool = False
    # What "how many" counts ("how many people took part"): of two counts in a sentence, the
    # one whose noun means this ("412 patients", not "23 hospitals").
    counted: str = ""
    # The unit a question asks in ("how high is it in feet"), by its first spelling in
    # measures.json's "same" ("foot"): a figure written in it answers, a conversion included.
    unit: str = ""
    # The stem of the verb a "who" question asks the doer of ("Who raised the apple?":
    # "rais", `qa.reader.agree.acting_stem`, set by `qa.reader.candidates`): the name that is
    # that verb's subject or agent answers.
    doer: str = ""
    # "start" or "end": the edge of a range of dates ("from 14 March to 7 September") that a
    # "when does it open / close" question asks for; "" for either
    edge: str = ""
    # The whole a "how much of the deposit" question asks a part of ("deposit"): the figure
    # the sentence gives that whole ("the deposit of £900") is not the part.
    whole: str = ""
    # The stem of the noun a "which" question calls the name it asks for ("bank" of "which
    # bank advised it"): a name that writes it ("Harwick Bank") is such a thing.
    called: str = ""
    # "new" for "what will it cost after the change?", "old" for "what does it cost now?":
    # of a table's "Current" and "New" columns, the one the question's time is
    when: str = ""
# The words after "which"/"what", up to five ("which venture capital firm led ..."), and the
# auxiliaries that end them
WHICH = re.compile(r"\b(?:which|what)\s+((?:[\w'’-]+\s+){0,4})")
AUXILIARIES = frozenset({"is", "are", "was", "were", "did", "does", "do", "will", "has", "have",
                         "had", "can", "could", "would", "should"})
WH_WORDS = frozenset({"what", "which", "who", "whom", "whose", "when", "where", "why", "how"})
