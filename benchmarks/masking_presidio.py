"""Microsoft Presidio's analyzer with Swedish additions, measured on the same labelled set as ours.

Current Presidio cannot be installed beside this project: presidio-analyzer 2.2.355 and later
require pydantic 2, and Rasa 3.6.21 and its spaCy 3.4.4 require pydantic 1.10. The last version
without that requirement, 2.2.354 (with phonenumbers 8.13 and tldextract), would; it measured
worse than ours (docs/privacy.md), so it is not pinned, and it was measured in a side environment
that sees this project's packages (tldextract tries to fetch the public suffix list and falls back
to its bundled copy):

    python3.11 -m venv /tmp/presidio && echo "$PWD/.venv/lib/python3.11/site-packages" \\
        > /tmp/presidio/lib/python3.11/site-packages/project.pth
    /tmp/presidio/bin/pip install --no-deps presidio-analyzer==2.2.354 'phonenumbers==8.13.*' \\
        tldextract==5.1.3 requests-file==2.1.0
    PYTHONPATH=$PWD /tmp/presidio/bin/python -m benchmarks.masking_presidio

No spaCy model for Swedish named entities can be downloaded here, so its NLP engine is spaCy's
blank Swedish pipeline (tokens only). Presidio's own recognisers are its e-mail and phone (SE)
recognisers; the Swedish additions are pattern recognisers in Presidio's framework: personnummer
and samordningsnummer (any plausible date and four digits), LMA, Dnr, date of birth and address
(the same regular expressions as assistant/personal_data/structured.py), and a deny list of our
first names and surnames for names. What it lacks against ours is the context: capitalisation,
"heter", "klienten", "f.", ages, the corpus's vocabulary.
"""
from __future__ import annotations

import spacy
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import EmailRecognizer, PhoneRecognizer

from assistant.personal_data import Masked, PLACEHOLDERS
from assistant.personal_data import structured
from assistant.personal_data.names import _words
from assistant.personal_data.structured import Span
from benchmarks.masking import evaluate, load, table

KINDS = {"EMAIL_ADDRESS": "epost", "PHONE_NUMBER": "telefon", "SE_PERSONNUMMER": "personnummer",
         "SE_LMA": "lma", "SE_DNR": "dnr", "SE_BIRTH_DATE": "fodelsedatum", "SE_ADDRESS": "adress", "PERSON": "namn"}
_PERSONNUMMER = (r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
                 r"(?: ?[-+] ?| - | )?\d{4}(?!\d)")


class BlankSwedish(SpacyNlpEngine):
    def load(self) -> None:
        self.nlp = {"sv": spacy.blank("sv")}


def analyzer() -> AnalyzerEngine:
    registry = RecognizerRegistry()
    registry.supported_languages = ["sv"]
    swedish = [
        EmailRecognizer(supported_language="sv"),
        PhoneRecognizer(supported_language="sv", supported_regions=("SE",), context=["tel", "telefon", "mobil", "ring"]),
        PatternRecognizer("SE_PERSONNUMMER", supported_language="sv", patterns=[Pattern("pnr", _PERSONNUMMER, 0.8)]),
    ]
    for entity, regex in (("SE_LMA", structured._LMA), ("SE_DNR", structured._DNR_CUE), ("SE_DNR", structured._DNR_SHAPE),
                          ("SE_BIRTH_DATE", structured._BIRTH_CUE), ("SE_ADDRESS", structured._FLAT),
                          ("SE_ADDRESS", structured._POSTCODE)):
        swedish.append(PatternRecognizer(entity, supported_language="sv", patterns=[Pattern(entity, regex.pattern, 0.7)],
                                         global_regex_flags=regex.flags))
    street = r"\b[A-ZÅÄÖa-zåäö][a-zåäöé-]*?(?:gatan|vägen|gränd|backen|torget|stigen|allé|plan|slingan|svängen|liden|gången|kroken)(?: \d{1,4}\s?[A-Za-z]?)?\b"
    swedish.append(PatternRecognizer("SE_ADDRESS", supported_language="sv", patterns=[Pattern("street", street, 0.6)]))
    names = sorted({w.capitalize() for w in _words("first_names.txt") | _words("surnames.txt")})
    swedish.append(PatternRecognizer("PERSON", supported_language="sv", deny_list=names))
    for recogniser in swedish:
        registry.add_recognizer(recogniser)
    engine = BlankSwedish(models=[{"lang_code": "sv", "model_name": "blank"}])
    engine.load()
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["sv"])


def presidio_masker():
    engine = analyzer()

    def masker(text: str) -> Masked:
        results = sorted(engine.analyze(text=text, language="sv"), key=lambda r: (r.start, -(r.end - r.start)))
        spans: list[Span] = []
        for result in results:
            if spans and result.start < spans[-1].end:
                continue
            spans.append(Span(result.start, result.end, KINDS[result.entity_type]))
        pieces, position = [], 0
        for span in spans:
            pieces += [text[position:span.start], PLACEHOLDERS[span.kind]]
            position = span.end
        return Masked("".join(pieces + [text[position:]]), frozenset(s.kind for s in spans), tuple(spans))

    return masker


if __name__ == "__main__":
    masker = presidio_masker()
    masker("uppvärmning")
    for split in ("tune", "heldout"):
        print(table(f"{split} (Presidio 2.2.354 + Swedish additions)", evaluate(load(split), masker)))
        print()
