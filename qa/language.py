"""General-language words that several stages read text with, kept in one place: the
English month and weekday names (datelines in cleaning, dates in metadata and in answers,
sortable dates in the page), and the words that frame a question rather than say what it is
about (not underlined in passages)."""

from __future__ import annotations

__all__ = ["CONTINUING", "DEGREE_ABBREVIATIONS", "LEADER", "MONTHS", "MONTHS_PATTERN",
           "MONTH_ABBREVIATIONS", "NAME_TITLE", "QUESTION_FRAME", "TITLE_ABBREVIATIONS", "WEEKDAYS",
           "month_number"]

# Titles a full stop abbreviates before a name ("Dr. Ada Lind", "Cllr. O'Leary"): the stop
# ends no sentence, and the name after one is a person's.
# Academic and professional degrees written before a name: "dr hab. Anna Nowak", "Ing. Petr
# Dvořák", "mgr inż. Jan Kowal", "Dipl.-Ing.". Not in capitals: "ING." is a bank.
DEGREE_ABBREVIATIONS = frozenset({"hab", "habil", "ing", "inż", "mgr", "dipl"})
TITLE_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "col", "lt", "capt", "sen", "rep",
    "gov", "cllr", "adv", "rev", "hon", "fr", "sgt", "insp", "supt", "cmdr", "adm", "maj",
    "brig", "mme", "mlle", "messrs", "cdr"}) | DEGREE_ABBREVIATIONS

# The titles a person's name is written after, for regular expressions: "Dr Ana Ruiz",
# "Professor Ray Kell", "Revd. Jo Lee" (an optional full stop follows in the patterns)
NAME_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Rev|Revd)"

# A leader's dots: four or more after a space, or five or more, then a value on the line
# ("Weekly permit (adult) ........ €80"); not "It was late.... The train had gone." A line
# with one is a row of a list, in cleaning (never joined to the next) and in chunking.
LEADER = r"(?:(?<=\s)\.{4,}|\.{5,})[ \t]*[^\s.]"

# Abbreviations after which a sentence never stops: "approx. 12 mg", "e.g. a fee" (a
# hard-wrapped line that ends with one goes on in the next); not "incl." nor "Dr.", which
# end a price list's line ("breakfast incl.") and an address's ("14 Harbour Dr.")
OPEN_ABBREVIATIONS = frozenset({"approx", "e.g", "i.e", "cf", "vs", "viz", "ca"})

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MONTHS_PATTERN = "|".join(MONTHS)  # for regular expressions: an alternation of the names
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
                       "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "How much", "did it ever go", "what kind of": the question's frame, in any domain. Words a
# stopword list keeps for search (they may matter in a passage) but that never say what a
# question is about, so a passage does not underline them.
QUESTION_FRAME = frozenset({
    "much", "many", "ever", "go", "goes", "going", "went", "get", "gets", "got", "kind",
    "sort", "type", "one", "ones", "also", "according", "happen", "happens", "happened",
    "thing", "things", "way", "ways", "exactly", "actually", "currently", "still", "yet",
    "tell", "say", "says", "said", "know", "known", "called", "name", "named", "whom",
    "whose", "which", "what", "when", "where", "why", "how", "who",
})
# Words that leave a sentence open, written in lower case: a line ending with one was cut by a
# line break ("... held 860 burrows and" / "Ilhéu Vermelho 315."), since neither a sentence
# nor a heading ends with an article, a conjunction, a preposition or an auxiliary.
CONTINUING = frozenset({
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "with",
    "by", "from", "into", "onto", "as", "than", "that", "which", "whose", "its", "their", "his",
    "her", "our", "your", "my", "is", "are", "was", "were", "be", "been", "has", "have", "had",
    "will", "would", "can", "could", "should", "may", "might", "must", "between", "about",
    "over", "under", "after", "before", "during", "while", "because", "if", "per", "via",
})
_NUMBER = {name.lower(): i for i, name in enumerate(MONTHS, start=1)} | {
    short.lower(): i for i, name in enumerate(MONTHS, start=1)
    for short in MONTH_ABBREVIATIONS if name.startswith(short)}


def month_number(name: str) -> int:
    """1-12 for a month's name or abbreviation ("Sept") in any case, 0 for anything else."""
    return _NUMBER.get(name.lower(), 0)
