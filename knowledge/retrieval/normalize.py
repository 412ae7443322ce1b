"""What handläggare type, made comparable with what the guidelines say.

Legal references in any of their spellings ("4:2", "4 kap 2 §", "4 kap. § 2", "4kap2") become
one token, so "4:2" finds "4 kap. 2 § SoL". Abbreviations bring their expansion along ("FK"
also searches "Försäkringskassan"), in passages and questions alike.
"""
import re
import unicodedata

# Abbreviations as handläggare and the documents write them, with what they stand for.
ABBREVIATIONS: dict[str, str] = {
    "sol": "socialtjänstlagen",
    "lss": "lagen om stöd och service till vissa funktionshindrade personkrets",
    "ips": "individual placement and support",
    "se": "supported employment",
    "sip": "samordnad individuell plan",
    "af": "arbetsförmedlingen",
    "fk": "försäkringskassan",
    "finsam": "finansiell samordning samordningsförbundet",
    "samordningsförbundet": "finsam",
    "dur": "dokumentation utvärdering och resultat utredningsinstrument",
    "lov": "lagen om valfrihetssystem valfrihetssystemet",
    "uvas": "unga som varken arbetar eller studerar",
    "osa": "offentligt skyddad anställning",
    "eb": "ekonomiskt bistånd",
    "ek": "ekonomiskt",  # "ek bistånd", "ek. bistånd"
    "fsd": "försörjningsstöd",
    "soc": "socialtjänsten",
    "socpsyk": "socialpsykiatri",
    "dv": "daglig verksamhet",
    "amf": "arbetsmarknadsförvaltningen",
    "handl": "handläggare",
    "ekb": "ekonomiskt bistånd",
    "fbs": "försörjningsstöd",
    "sfb": "socialförsäkringsbalken",
    "fl": "förvaltningslagen",
    "kl": "kommunallagen",
    "jo": "justitieombudsmannen",
    "kf": "kommunfullmäktige",
    "sdf": "stadsdelsförvaltningen",
    "sdn": "stadsdelsnämnden",
    "adl": "vardagsaktiviteter",
    "npf": "neuropsykiatrisk funktionsnedsättning",
    "rehab": "rehabilitering",
    "psyk": "psykiatri",
    "lagl": "laglighetsprövning",
    "gp": "genomförandeplan",
    "syss": "sysselsättning",
    "sgi": "sjukpenninggrundande inkomst",
}
# "se" is also the verb "see": it expands only where written in capitals.
CASE_SENSITIVE = {"se": "SE"}

_LEGAL_REFERENCE_RES = [
    # "4 kap. 2 §", "4 kap 2§", "4 kap. § 2", "4kap2", "4 kap 2"
    re.compile(r"\b(\d{1,2})\s*kap\.?\s*(?:§\s*)?(\d{1,2})\s*(?:§(?!\s*\d))?"),
    # "4:2", "4:2-insats" (not "2001:453", the SFS number, nor a time of day "10:30": the laws
    # cited here have at most 16 chapters and 20 paragraphs a chapter)
    re.compile(r"(?<![\d:])(1[0-6]|[1-9]):(1\d|20|[1-9])(?![\d:])"),
]
_SUPERSCRIPTS = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]")


def legal_reference_token(chapter: str, paragraph: str) -> str:
    return f"{int(chapter)}kap{int(paragraph)}"


def mark_legal_references(text: str) -> str:
    """Replace every spelling of "chapter N, paragraph M" by one token such as " 4kap2 "."""
    for pattern in _LEGAL_REFERENCE_RES:
        text = pattern.sub(lambda m: f" {legal_reference_token(m.group(1), m.group(2))} ", text)
    return text


def expansions(word: str) -> str | None:
    """The expansion of an abbreviation as written (case matters only for CASE_SENSITIVE ones)."""
    key = word.lower()
    if key in CASE_SENSITIVE and word != CASE_SENSITIVE[key]:
        return None
    return ABBREVIATIONS.get(key)


def prepare(text: str) -> str:
    """Unicode-normalised text with legal references marked; case is kept for CASE_SENSITIVE."""
    text = _SUPERSCRIPTS.sub("", unicodedata.normalize("NFKC", text))
    return mark_legal_references(text)
