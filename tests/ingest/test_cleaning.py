"""Cleaning: each quirk found in the five seed files, on the real files and on small cases."""

from __future__ import annotations

import re
import textwrap

import pytest

from qa.ingest.cleaning import clean_text


@pytest.fixture(scope="module")
def docs(seed_documents):
    return {d.source.split("/")[-1][:3]: d.text for d in seed_documents}


def test_mojibake_emoji_is_repaired(docs):
    assert docs["001"].startswith("AI Bubble 🫧")
    assert "đź" not in docs["001"]


def test_persian_site_header_and_chrome_lines_are_dropped(docs):
    text = docs["003"]
    assert not re.search(r"[\u0600-\u06ff]", text)
    for chrome in ("AA-AA", "www.afgazad.com", "afgazad@gmail.com", "European Languages"):
        assert chrome not in text
    # The byline right after the header is content and stays.
    assert text.startswith("Nick Beams\n03.02.2025")


def test_markdown_escapes_links_and_emphasis_are_undone(docs):
    assert "\\$" not in docs["003"] and "$1 trillion loss" in docs["003"]
    assert "told the Financial Times (FT)" in docs["003"]
    assert "I genuinely want OpenAI" in docs["003"]
    assert "with a market sell-off triggered by DeepSeek." in docs["004"]
    assert "[" not in docs["004"] and "(#)" not in docs["004"]
    assert "$1.3 billion instead of $6 million" in docs["004"]


def test_forum_reactions_and_comment_prompts_are_dropped(docs):
    for text in docs.values():
        assert not re.search(r"(?m)^\d+ Likes?$", text)
        assert "Leave a comment" not in text


def test_email_line_and_trailing_disclaimer_are_dropped(docs):
    text = docs["004"]
    assert "inga.fechner@ing.de" not in text
    assert "Disclaimer" not in text and "Prudential Regulation Authority" not in text
    assert text.endswith("Senior Economist, Germany, Global Trade")


def test_run_together_headings_are_separated(docs):
    text = docs["000"]
    for heading, sentence in [
        ("Meta, February 2025", "Meta Platforms plans to spend"),
        ("Microsoft, February 2025", "In FY 2025, Microsoft"),
        ("Google, February 2025", "Google plans to invest $75 billion"),
        ("Apple, February 2025", "Apple will spend more than $500 billion"),
        ("Anthropic", "The start-up Anthropic said"),
        ("Google", "Update March 18, 2025"),
        ("Musk’s xAI", "According to The New York Times"),
        ("Amazon, March 2025", "Amazon first invested $1.25 billion"),
        ("Google, October 2024", "Google has signed a deal"),
    ]:
        assert f"\n{heading}\n{sentence}" in text, heading
    # Camel-case names and domains are not headings.
    for word in ("DeepSeek", "BlackRock", "NobelPrize.org", "LiveBench", "OpenAI"):
        assert word in text


def test_lines_broken_mid_sentence_are_rejoined(docs):
    assert "Chinese tech giant Baidu introduced Ernie X1" in docs["000"]
    assert "The US government is facilitating regulatory approvals for the project." in docs["004"]
    # A short casual forum line without a full stop is a paragraph of its own, not a break.
    assert "ran out of rail\n\nmeanwhile" in docs["001"]


def test_a_hard_wrapped_line_that_leaves_its_sentence_open_is_joined_before_a_name():
    raw = ("Seabird colonies\n"
           "The survey counted every burrow in 2023: Inishcarra held 860 burrows and\n"
           "Ilhéu Vermelho held 315, the warden wrote to\n"
           "Marta Alves,\n"
           "Lisbon\n"
           "Results\n"
           "Both colonies grew.")
    assert clean_text(raw).split("\n") == [
        "Seabird colonies",  # a heading ends with no open word: kept apart
        "The survey counted every burrow in 2023: Inishcarra held 860 burrows and Ilhéu Vermelho "
        "held 315, the warden wrote to Marta Alves, Lisbon",
        "Results",
        "Both colonies grew.",
    ]
    # A list's items keep a line each, whatever the item before ends with.
    assert clean_text("Pack:\n- a map,\n- Warm socks and\n- 2 litres of water").split("\n") == [
        "Pack:", "- a map,", "- Warm socks and", "- 2 litres of water"]



# A plain-text bulletin wrapped as a mail program wraps it: lines break before a figure, a name
# or a new sentence wherever the next word would not fit.
_PARAGRAPH = ("The spring head race on the Vaal reservoir drew 41 crews, of which the women's "
              "eight of Port Elmira finished first in 14 minutes 52 seconds. Thirty-one crews "
              "rowed in the masters category. Entries rose by 12% on last year, and the club's "
              "share of the entry fees came to R 18,400 after the marquee was paid for. Our "
              "captain, Ayanda Mokoena, thanked the umpires and the 23 volunteers who ran the "
              "start. Shell Rowing Supplies of Vereeniging lent two launches.")


# At these widths a line opens with "14", "Rowing", "18,400", "Thirty-one" or "Supplies".
@pytest.mark.parametrize("width", [59, 69, 72])
def test_a_hard_wrapped_text_reads_as_paragraphs(width):
    wrapped = textwrap.wrap(_PARAGRAPH, width)
    assert any(line[0].isdigit() or line[0].isupper() for line in wrapped[1:])
    lines = clean_text("\n".join([
        "KESTREL ROWING CLUB -- BULLETIN 12", "From: Secretary, Kestrel Rowing Club",
        "Date: 3 March 2025", "", *wrapped, "", "Boat repairs:",
        "- the coxless four, after the collision in January", "- Two sculling blades",
        "- 3 seats in the old eight", "", "The next race is on 5 April."])).split("\n")
    assert lines[:3] == ["KESTREL ROWING CLUB -- BULLETIN 12",  # short lines: kept apart
                         "From: Secretary, Kestrel Rowing Club", "Date: 3 March 2025"]
    # Each break fell where the next word would not fit, whatever it starts with: a name,
    # a figure, a new sentence. The paragraph is one line again.
    assert _PARAGRAPH in lines
    # A list keeps a line per item, and the short line before the next paragraph ends it.
    assert lines[lines.index("Boat repairs:") + 1:][:3] == [
        "- the coxless four, after the collision in January", "- Two sculling blades",
        "- 3 seats in the old eight"]
    assert lines[-1] == "The next race is on 5 April."


def test_an_indented_wrapped_paragraph_counts_its_indentation_towards_the_width():
    # Wrapped at 72 with a paragraph indented by eight, so its lines hold 64 letters at most:
    # the line before "(Vice-Chairman)" is full once its indentation counts, and the break
    # was the width's, not the writer's.
    indented = ["The chair opened the spring meeting and welcomed the members.",
                "Apologies for absence were received from Ivo Brankstone",
                "(Vice-Chairman) and Dorothea Quennell (Secretary). The meeting",
                "was declared quorate and the notes of the last meeting were",
                "agreed without change."]
    assert max(map(len, indented)) <= 64
    body = textwrap.wrap(
        "Minutes of the spring meeting of the Harlowe Bridge rowing club, held in the boat "
        "house on the first Monday of April, with twenty-two members present in person.", 72)
    lines = clean_text("\n".join([
        "                 HARLOWE BRIDGE ROWING CLUB",  # a centred title of two lines
        "                       SPRING MEETING", "",
        *body, "", *["        " + line for line in indented], "",
        "2.1 Members who leave before the end of March will have their subscription",
        "    refunded in full less an administration charge of ten pounds.",
        "2.2 Boats may be booked by members only.", "",
        "      Monday      Novices, juniors and the veterans' eight crews",  # two columns
        "      Tuesday     Seniors"])).split("\n")
    assert lines[:2] == ["HARLOWE BRIDGE ROWING CLUB", "SPRING MEETING"]
    assert " ".join(body) in lines
    assert " ".join(indented) in lines
    # A hanging indent's second line and a line set out in columns are no indented block.
    assert lines[-5:] == [
        "2.1 Members who leave before the end of March will have their subscription refunded "
        "in full less an administration charge of ten pounds.",
        "2.2 Boats may be booked by members only.", "",
        "Monday Novices, juniors and the veterans' eight crews", "Tuesday Seniors"]


def test_a_text_of_short_lines_that_is_not_wrapped_keeps_them():
    # One line per item, of all lengths: no width the lines were cut at, so a line that
    # opens with a capital stays on its own.
    raw = "\n".join(["Shopping", "Bread and milk from the corner shop on the way home from work",
                     "Eggs", "Tomatoes for the sauce", "Rice", "Olive oil, the good one"])
    assert clean_text(raw).split("\n") == raw.split("\n")

def test_whitespace_is_normalized(docs):
    for text in docs.values():
        assert "  " not in text and "\t" not in text and "\n\n\n" not in text
        assert text == text.strip()


def test_every_sentence_of_real_content_is_kept(root, docs):
    """Every word of the raw files survives, except in the chrome the cleaner drops."""
    dropped = {"Leave", "comment", "Like", "Likes", "AA", "European", "Languages", "www",
               "afgazad", "gmail", "com", "fechner", "inga", "ing", "de"}
    for name, text in docs.items():
        raw = next((root / "seeds").glob(f"{name}_*.txt")).read_text("utf-8")
        raw = raw.split("\nDisclaimer\n")[0]
        words = set(re.findall(r"[A-Za-z]{2,}", raw)) - dropped
        glued = {"AnthropicThe", "GoogleUpdate", "xAIAccording"}
        missing = {w for w in words - glued if w not in text}
        assert not missing, (name, sorted(missing)[:20])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Price: \\$5 and 10\\% off.", "Price: $5 and 10% off."),
        ("See [the report](#) and [site](https://x.org).", "See the report and site."),
        ("As *Financial Times* and **WSJ** said.", "As Financial Times and WSJ said."),
        ("Costs 2 * 3 * 4 units.", "Costs 2 * 3 * 4 units."),
        ("a\tb \u00a0 c", "a b c"),
        ("Title\r\n\r\n\r\n\r\nBody.", "Title\n\nBody."),
        ("The cafÃ© opened.", "The café opened."),
        # an email's quoted reply: the marks go, the wrapped sentence is one again
        ("> Room hire is £1,450 for the evening,\n> including tables.\n>\n> Thanks.",
         "Room hire is £1,450 for the evening, including tables.\n\nThanks."),
        # a line left open ("... in") goes on with a line that opens with a year
        ("She rowed in the first eight in\n1979, and coached it later.",
         "She rowed in the first eight in 1979, and coached it later."),
        ("Mix the flour and\n2. Add the water.", "Mix the flour and\n2. Add the water."),
        ("The survey was led by\nJ. Smith in May.", "The survey was led by J. Smith in May."),
        ("Risk by age:\n>5 years: high", "Risk by age:\n>5 years: high"),  # greater than
    ],
)
def test_small_cases(raw, expected):
    assert clean_text(raw) == expected


def test_a_document_in_another_script_keeps_its_text():
    persian = "افغانستان آزاد – آزاد افغانستان\n\nچو کشور نباشد تن من مباد"
    assert clean_text(persian) == persian


# A page of a typeset report, as a PDF's text layer gives it: lines of 90 to 110 characters
# in a proportional font, words split by hyphens at the breaks.
_TYPESET = """Field station report
The survey team counted 1,204 nesting pairs on the eastern cliffs during the spring, which
is the highest count since the station opened. The western colony was surveyed on 3 June
2022 after a storm had closed the landing stage for most of May, so its figure of 388 pairs
is an estimate. Counts were made from fixed points by two observers, and every disagree-
ment was settled by a third; the sea-watch hides were used for the stacks only. Breeding
success on the eastern cliffs was 0.71 chicks per pair, close to the long-term average of
(0.74) for the colony. The warden recorded three sea-watch counts in total for the season.
"""


def test_a_typeset_page_is_read_as_its_paragraph():
    text = clean_text(_TYPESET)
    lines = text.split("\n")
    assert lines[0] == "Field station report"
    assert len(lines) == 2  # the heading, and one paragraph
    assert "surveyed on 3 June 2022 after a storm" in text  # a line opening with a year
    assert "average of (0.74) for" in text  # and one opening with a bracket
    assert "every disagreement was settled" in text  # the hyphen the break added goes


def test_a_word_split_at_its_own_hyphen_keeps_it():
    # "sea-watch" is written whole in the same document, so its hyphen is the word's own
    raw = _TYPESET.replace("the sea-watch hides", "the sea-\nwatch hides").replace(
        "every disagree-\nment", "every disagreement")
    assert "the sea-watch hides" in clean_text(raw)


def test_an_address_at_the_end_of_a_full_line_is_not_joined_to_the_next():
    raw = ("Thanks for the notes on the harbour survey, which I read on the train\n"
           "this morning and have passed on to the rest of the committee for Monday\n") * 3 + \
        "Contact: Jo Perrin, Harbour Office, jo.perrin@harbour.example\nTel. 0123 456\n"
    text = clean_text(raw)
    assert "train this morning" in text  # wrapped: the width is known
    assert "harbour.example\nTel." in text


def test_a_wrapped_markdown_page_with_long_list_items_is_still_wrapped():
    # Markdown keeps each list item on one line and wraps its paragraphs: the items do not
    # hide the width, so "open daily" goes on with "8:30–17:30 and ..."
    item = "- **The old mill.** " + "A long description of the mill and its wheel, " * 6
    paragraph = (
        "The visitor centre beside the harbour car park is open every day of the week\n"
        "8:30–17:30 in summer, and it lends bicycles against a small deposit of ten euros.\n"
        "Most of the cafes on the quay take cards, but the fish market is cash only and\n"
        "the bakery opens at six so the fishermen can buy bread before they sail out.\n"
    )
    raw = "# A harbour town\n\n" + paragraph + "\n" + "\n".join([item] * 4) + "\n\n" + paragraph
    text = clean_text(raw)
    assert "open every day of the week 8:30–17:30 in summer" in text
    assert "\n8:30" not in text


def test_a_file_of_one_sentence_per_line_is_not_wrapped():
    faq = "\n".join(f"Q{i}. This is a question line that is about one hundred characters long, "
                    "and it ends here with a full stop." for i in range(6))
    assert clean_text(faq).count("\n") == 5


@pytest.mark.parametrize(("raw", "expected"), [
    # a hyphen before "or", "and": the first word's own
    ("Speakers of English-\nor French-speaking towns came.",
     "Speakers of English- or French-speaking towns came."),
    # in brackets, a word the document hyphenates elsewhere keeps its hyphen
    ("The (sea-\nwatch posts) and the sea-watch hides.",
     "The (sea-watch posts) and the sea-watch hides."),
])
def test_hyphens_at_a_break_that_are_words_own(raw, expected):
    assert clean_text(raw) == expected


def test_a_plain_text_tables_columns_become_cells_a_header_can_name():
    raw = ("Table 1. Seats by party\n"
           "  Party                  Seats   Change\n"
           "  Harbour and Country       19       -4\n"
           "  Green Commons              8       +5\n"
           "  Total                     27\n"
           "\n"
           "The count ended at  04:40.  Nobody objected.\n"
           "Turnout rose  to 56.4 per cent  in 2023.\n"
           "Postal votes  were counted  first.\n")
    lines = clean_text(raw).split("\n")
    assert lines[:4] == ["Table 1. Seats by party", "| Party | Seats | Change |",
                         "| Harbour and Country | 19 | -4 |", "| Green Commons | 8 | +5 |"]
    assert lines[4] == "| Total | 27 | |"  # a short row, set in its columns by where cells end
    # prose with double spaces is no table: its lines do not end in a figure
    assert "The count ended at 04:40. Nobody objected." in lines


def test_a_second_header_line_joins_the_first_cell_by_cell_and_keeps_the_line_count():
    raw = ("Castlebridge  Marl Street  Fenwick Haven  Notes\n"
           "depart        arrive       arrive\n"
           "06:12         06:31        07:03          Was 06:20\n"
           "07:30         07:49        -              Ends Marl St\n")
    assert clean_text(raw).split("\n") == [
        "| Castlebridge depart | Marl Street arrive | Fenwick Haven arrive | Notes |",
        "| --- | --- | --- | --- |",
        "| 06:12 | 06:31 | 07:03 | Was 06:20 |",
        "| 07:30 | 07:49 | - | Ends Marl St |"]


@pytest.mark.parametrize(("raw", "expected"), [
    # a first row without figures is a row, not a second header line
    ("Name  Role  Office  Ext\nAlice  Director  London  n/a\nBob  Analyst  Leeds  2231\n"
     "Carol  Clerk  York  2232\n",
     ["| Name | Role | Office | Ext |", "| Alice | Director | London | n/a |",
      "| Bob | Analyst | Leeds | 2231 |", "| Carol | Clerk | York | 2232 |"]),
    # dashes under the header are its rule; tabs set cells apart
    ("Party  Seats  Change\n-----  -----  ------\nGreen  8  +5\nBlue  19  -4\n",
     ["| Party | Seats | Change |", "| --- | --- | --- |", "| Green | 8 | +5 |",
      "| Blue | 19 | -4 |"]),
    ("Country\tCapital\tPop\nFrance\tParis\t67\nSpain\tMadrid\t47\n",
     ["| Country | Capital | Pop |", "| France | Paris | 67 |", "| Spain | Madrid | 47 |"]),
    # a grouped row, and a wrapped description that must not join the row above
    ("Region  Town    Sales\nSouth   Bath      300\n        York      200\nWest    Exeter    400\n",
     ["| Region | Town | Sales |", "| South | Bath | 300 |", "| | York | 200 |",
      "| West | Exeter | 400 |"]),
    ("Date        Item     Amount\n01/03/2024  Salary   1,200\n02/03/2024  Card     -3.50\n"
     "to coffee shop\n03/03/2024  Rent     -800\n",
     ["| Date | Item | Amount |", "| 01/03/2024 | Salary | 1,200 |",
      "| 02/03/2024 | Card | -3.50 |", "| | to coffee shop | |", "| 03/03/2024 | Rent | -800 |"]),
    # a second header line of units joins the first; rules under it and above a total
    ("Site     Depth   Yield\n          (m)     % target\n-------  ------  --------\n"
     "North      12      88\nSouth      30      95\n-------  ------  --------\n"
     "Mean        -      91\n",
     ["| Site | Depth (m) | Yield % target |", "| --- | --- | --- |", "| --- | --- | --- |",
      "| North | 12 | 88 |", "| South | 30 | 95 |", "| --- | --- | --- |", "| Mean | - | 91 |"]),
    # a first row whose cells open with a quote is a row, not a line of units
    ('Region  Seats  Change\n"Harbour"  n/a  n/a\nNorth  12  +3\nSouth  9  -1\n',
     ['| Region | Seats | Change |', '| "Harbour" | n/a | n/a |', "| North | 12 | +3 |",
      "| South | 9 | -1 |"]),
])
def test_plain_text_tables_of_other_shapes(raw, expected):
    assert clean_text(raw).split("\n") == expected
