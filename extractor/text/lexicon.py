"""Word lists the candidate finder and resolver use: reporting verbs, titles, countries, organisation cues."""

from __future__ import annotations

__all__ = [
    "ABBREVIATIONS",
    "BODY_HEADS",
    "COUNTRIES",
    "DEMONYMS",
    "GOVERNMENT_WORDS",
    "GROUP_NOUNS",
    "MEDIA_WORDS",
    "NAME_PARTICLES",
    "OBJECT_STANCE_LEMMAS",
    "PERSON_TITLES",
    "PRONOUNS",
    "REPORTING_LEMMAS",
    "REPORTING_VERBS",
    "SOURCE_DOCUMENTS",
    "TITLE_ABBREVIATIONS",
    "SENTENCE_STARTERS",
    "TITLE_WORDS",
    "VERB_KIND",
]

# Titles abbreviated before a name ("Mr. Burman", "Sen. Cruz"): their dot ends neither a sentence nor
# the stretch between a reporting verb and its speaker.
TITLE_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt sgt st jr sr rev adm capt maj".split()
)
# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = TITLE_ABBREVIATIONS | frozenset(
    "vs etc inc corp co ltd no jan feb mar apr jun jul aug sep sept oct nov dec "
    "u.s u.k u.n e.g i.e a.m p.m hon pres".split()
)


def _forms(*stems: str) -> frozenset[str]:
    return frozenset(word for stem in stems for word in stem.split("|"))


REPORTING_VERBS = _forms(
    "say|says|said|saying",
    "tell|tells|told|telling",
    "stated|stating",
    "claim|claims|claimed|claiming",
    "warn|warns|warned|warning",
    "argue|argues|argued|arguing",
    "insist|insists|insisted|insisting",
    "note|notes|noted|noting",
    "add|adds|added",
    "assert|asserts|asserted|asserting",
    "suggest|suggests|suggested|suggesting",
    "describe|describes|described|describing",
    "deny|denies|denied|denying",
    "accuse|accuses|accused",
    "announce|announces|announced",
    "declare|declares|declared",
    "explain|explains|explained",
    "reply|replies|replied",
    "respond|responds|responded",
    "lament|laments|lamented|lamenting",
    "criticise|criticises|criticised|criticize|criticizes|criticized",
    "confirm|confirms|confirmed",
    "predict|predicts|predicted",
    "promise|promises|promised",
    "threaten|threatens|threatened",
    "acknowledge|acknowledges|acknowledged",
    "admit|admits|admitted",
    "write|writes|wrote",
    "urge|urges|urged",
    "vow|vows|vowed",
    "maintain|maintains|maintained",
    "contend|contends|contended",
    "stress|stresses|stressed",
    "emphasise|emphasised|emphasize|emphasized|emphasizes",
    "believe|believes|believed",
    "think|thinks",
    "hint|hints|hinted",
    "signal|signals|signalled|signaled",
    "allege|alleges|alleged",
    "recall|recalls|recalled",
    "concede|concedes|conceded",
    "complain|complains|complained",
    "tweet|tweets|tweeted",
    "testify|testifies|testified",
    "indicate|indicates|indicated",
    "agree|agrees|agreed",
    "dismiss|dismisses|dismissed",
    "ask|asks|asked",
    "question|questioned",
    "estimate|estimates|estimated",
    "reiterate|reiterated",
    "frame|framed",
    "call|calls|called",
    "downplay|downplayed",
    "view|views",
    "acknowledged",
    "remark|remarked",
    "observe|observed",
    "assure|assured",
    "demand|demands|demanded",
)
"""Verbs that introduce reported speech or belief."""

REPORTING_LEMMAS = frozenset(
    """say tell state claim warn argue insist note add assert suggest describe deny accuse announce declare
    explain reply respond lament criticise criticize confirm predict promise threaten acknowledge admit
    write urge vow maintain contend stress emphasise emphasize believe think hint signal allege recall
    concede complain tweet testify indicate agree dismiss ask question estimate reiterate call downplay
    remark observe assure demand pledge caution cite report reveal show find conclude decide plan want
    expect hope fear worry know propose recommend praise blame swear speculate wonder charge mention
    repeat decline refuse order advise forecast doubt feel suspect prefer choose back support endorse
    oppose reject condemn welcome defend announce boast joke vow counter retort concur guarantee
    acknowledge point caution brag plead implore exhort encourage speak talk discuss pitch echo thank
    lobby campaign testify see""".split()
)
"""Lemmas of verbs that report speech, belief or a stance, for the parse-based attribution reader."""

OBJECT_STANCE_LEMMAS = frozenset(
    """support endorse oppose reject condemn back prefer choose want cite praise criticize criticise blame
    deny welcome defend propose demand call show reveal report urge thank see expect""".split()
)
"""Stance verbs whose object is what they report (``endorses Trump``, ``called for retaliation``)."""

VERB_KIND = {
    "warn": "warning",
    "threaten": "threat",
    "deny": "denial",
    "denie": "denial",
    "accuse": "accusation",
    "allege": "accusation",
    "criticis": "accusation",
    "criticiz": "accusation",
    "promise": "promise",
    "vow": "promise",
    "predict": "prediction",
    "estimate": "prediction",
    "believe": "opinion",
    "think": "opinion",
    "view": "opinion",
    "describ": "opinion",
    "lament": "opinion",
    "dismiss": "denial",
}
"""Reporting-verb prefix -> claim kind."""

PRONOUNS = frozenset({"he", "she", "they"})
"""Subject pronouns that can stand for a speaker."""

GROUP_NOUNS = frozenset(
    "analysts experts officials critics observers sources residents lawmakers legislators economists "
    "protesters diplomats investigators authorities prosecutors researchers scientists supporters opponents "
    "activists voters aides advisers advisors spokesman spokeswoman spokesperson officers witnesses "
    "report poll study survey statement analysis memo letter lawsuit ruling filing".split()
)
"""Common nouns that can be an unnamed speaker (people, or documents that "say" things)."""

SOURCE_DOCUMENTS = frozenset(
    "report poll study survey statement analysis memo letter lawsuit ruling filing".split()
)
"""Speaker nouns that are documents, not people: kind ``other``."""

TITLE_WORDS = frozenset(
    "president vice secretary minister senator sen. governor gov. representative rep. mayor chancellor "
    "premier king queen prince general gen. judge justice ambassador spokesman spokeswoman spokesperson "
    "director chief ceo chairman chairwoman chair leader expert analyst professor prof. dr. mr. mrs. ms. "
    "attorney commissioner candidate nominee speaker official adviser advisor sheriff officer colonel "
    "captain lieutenant admiral pope bishop economist researcher founder head deputy former state "
    "security political foreign defense defence interior of the".split()
)
"""Words that make up titles and roles."""

NAME_PARTICLES = frozenset(
    {"de", "del", "della", "di", "da", "dos", "van", "von", "der", "bin", "al", "la", "le"}
)
"""Lower-case particles inside personal names."""

SENTENCE_STARTERS = frozenset(
    "a an the this that these those however but and or so yet when while after before despite although "
    "though if as in on at for from with without by of to into since during until unless because "
    "meanwhile still also then there here his her their its our my your it we they he she i you "
    "one some many most all both each every such what which who whom whose why how where "
    "mr mrs ms dr according last next earlier later today yesterday under over against among between "
    "beyond within through across about".split()
)
"""Capitalised at a sentence start only because of their position."""

COUNTRIES = {
    name.lower(): canonical
    for canonical, names in {
        "United States": "United States|US|U.S.|USA|America",
        "Mexico": "Mexico",
        "Canada": "Canada",
        "Venezuela": "Venezuela",
        "Colombia": "Colombia",
        "Cuba": "Cuba",
        "Brazil": "Brazil",
        "Argentina": "Argentina",
        "Chile": "Chile",
        "Peru": "Peru",
        "Ecuador": "Ecuador",
        "Bolivia": "Bolivia",
        "Panama": "Panama",
        "Guatemala": "Guatemala",
        "Honduras": "Honduras",
        "Nicaragua": "Nicaragua",
        "Haiti": "Haiti",
        "United Kingdom": "United Kingdom|UK|U.K.|Britain|Great Britain",
        "France": "France",
        "Germany": "Germany",
        "Italy": "Italy",
        "Spain": "Spain",
        "Portugal": "Portugal",
        "Netherlands": "Netherlands",
        "Belgium": "Belgium",
        "Poland": "Poland",
        "Ukraine": "Ukraine",
        "Russia": "Russia",
        "Turkey": "Turkey|Türkiye",
        "Greece": "Greece",
        "Sweden": "Sweden",
        "Norway": "Norway",
        "Finland": "Finland",
        "Denmark": "Denmark",
        "Ireland": "Ireland",
        "Switzerland": "Switzerland",
        "Austria": "Austria",
        "Hungary": "Hungary",
        "Serbia": "Serbia",
        "China": "China",
        "Japan": "Japan",
        "South Korea": "South Korea",
        "North Korea": "North Korea",
        "India": "India",
        "Pakistan": "Pakistan",
        "Afghanistan": "Afghanistan",
        "Iran": "Iran",
        "Iraq": "Iraq",
        "Syria": "Syria",
        "Israel": "Israel",
        "Lebanon": "Lebanon",
        "Jordan": "Jordan",
        "Saudi Arabia": "Saudi Arabia",
        "Yemen": "Yemen",
        "Qatar": "Qatar",
        "Egypt": "Egypt",
        "Libya": "Libya",
        "Nigeria": "Nigeria",
        "South Africa": "South Africa",
        "Kenya": "Kenya",
        "Ethiopia": "Ethiopia",
        "Sudan": "Sudan",
        "Australia": "Australia",
        "New Zealand": "New Zealand",
        "Indonesia": "Indonesia",
        "Philippines": "Philippines",
        "Vietnam": "Vietnam",
        "Thailand": "Thailand",
        "Taiwan": "Taiwan",
        "Palestine": "Palestine",
        "Gaza": "Gaza",
    }.items()
    for name in names.split("|")
}
"""Country names and aliases (lower case) -> canonical country."""

DEMONYMS = {
    "american": "United States",
    "mexican": "Mexico",
    "canadian": "Canada",
    "venezuelan": "Venezuela",
    "colombian": "Colombia",
    "cuban": "Cuba",
    "brazilian": "Brazil",
    "british": "United Kingdom",
    "french": "France",
    "german": "Germany",
    "russian": "Russia",
    "ukrainian": "Ukraine",
    "chinese": "China",
    "japanese": "Japan",
    "iranian": "Iran",
    "israeli": "Israel",
    "us": "United States",
    "u.s.": "United States",
    "spanish": "Spain",
    "italian": "Italy",
    "indian": "India",
}
"""Adjectives of nationality -> country."""

MEDIA_WORDS = frozenset(
    "news times post journal tribune herald reuters ap bbc cnn fox nbc cbs abc msnbc guardian telegraph "
    "gazette press magazine radio tv television wikinews bloomberg politico axios npr".split()
)
"""Words that mark a news organisation."""

GOVERNMENT_WORDS = frozenset({"administration", "government", "ministry", "department", "cabinet"})
"""Words that mark a body of government ("Trump administration", "Ministry of Finance")."""

BODY_HEADS = GOVERNMENT_WORDS | frozenset(
    "agency bureau commission committee council court office service board command".split()
)
"""Last words of a body's name, whose first word may also open a title ("State Department")."""

PERSON_TITLES = frozenset(
    "president secretary minister senator sen. governor gov. representative rep. mayor chancellor premier "
    "king queen prince general gen. judge justice ambassador spokesman spokeswoman spokesperson director "
    "chief ceo chairman chairwoman leader expert analyst professor prof. dr. mr. mrs. ms. attorney "
    "commissioner candidate nominee adviser advisor sheriff officer colonel captain lieutenant admiral pope "
    "bishop economist researcher founder deputy wife husband son daughter".split()
)
"""Titles only a person holds: a multi-word name right after one is a person's."""
