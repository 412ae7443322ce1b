"""Quoting the sentence that answers: sentences, list items with their lead-in, long sentences cut."""
from knowledge.corpus.passage import Passage
from knowledge.retrieval.quote import best_excerpt, is_list_item, sentences
from tests.knowledge.retrieval.tiny import GOVERNING, PASSAGES, tiny_retriever

# 002 §4.2.2 as the document has it: the answer to "sysselsättning och 4:2 samtidigt?" is the third sentence.
PARALLEL = Passage(
    "002-4.2.2-1", GOVERNING, "4.2.2", ["4.2.2 Ansökan, utredning och beslut enligt 4 kap. 2 § SoL"], "Ansökan, utredning och beslut enligt 4 kap. 2 § SoL",
    "Skillnaden mellan insatsen särskilt individanpassad stödinsats för att underlätta arbete eller studier och sysselsättning "
    "inom socialpsykiatrin är att särskilt individanpassad stödinsats för att underlätta arbete eller studier har ett tydligt och "
    "primärt fokus på arbete eller studier. Denna insats kan ses som en möjlighet för personer som uttrycker en vilja att arbeta "
    "eller studera, med aktualitet inom socialpsykiatrin, att delta i kommunala arbetsmarknadsinsatser. Det kan också vara en "
    "möjlighet för personer som har biståndsbedömd sysselsättning att parallellt delta i kommunala arbetsmarknadsinsatser "
    "samtidigt som de deltar i sin sysselsättningsverksamhet.\nLäs mer om individanpassad stödinsats i Riktlinjer avseende "
    "individanpassad stödinsats enligt 4 kap. § 2 SoL.",
    14,
)
INTERVALS = "Omfattningen delas in i tre tidsintervaller enligt följande:\n- 1-12 timmar/vecka\n- 10-24 timmar/vecka\n- 22-40 timmar/vecka\nSyftet med intervallerna är rättssäkerhet."


def _overlap(question: str):
    words = set(question.lower().split())
    return lambda text: float(len(words & set(text.lower().replace(".", " ").split())))


def test_sentences_split_at_full_stops_but_not_after_kap_or_ex():
    text = "Beslut fattas enligt 4 kap. 1 § SoL. Samverka med ex. Arbetsförmedlingen. Klart!"
    assert sentences(text) == ["Beslut fattas enligt 4 kap. 1 § SoL.", "Samverka med ex. Arbetsförmedlingen.", "Klart!"]


def test_every_line_of_a_list_is_a_sentence_of_its_own():
    parts = sentences(INTERVALS)
    assert parts[1:4] == ["- 1-12 timmar/vecka", "- 10-24 timmar/vecka", "- 22-40 timmar/vecka"]
    assert is_list_item(parts[3]) and not is_list_item(parts[0])


def test_the_quote_starts_at_the_sentence_that_answers_not_at_the_passage_start():
    quote = tiny_retriever(passages=PASSAGES + [PARALLEL]).quote("Kan någon ha sysselsättning och 4:2-insatsen samtidigt?", PARALLEL)
    assert quote.startswith("Det kan också vara en möjlighet") and "parallellt delta" in quote
    assert not quote.startswith("Skillnaden")


def test_a_question_typed_without_swedish_letters_gets_the_same_sentence():
    retriever = tiny_retriever(passages=PASSAGES + [PARALLEL])
    folded = retriever.quote("kan nagon ha sysselsattning och 4:2 samtidigt", PARALLEL)
    assert "parallellt delta" in folded


def test_a_list_item_is_quoted_after_its_lead_in():
    quote = best_excerpt(INTERVALS, _overlap("vilket intervall har 22-40 timmar/vecka"), limit=200)
    assert quote.startswith("Omfattningen delas in i tre tidsintervaller enligt följande:") and "- 22-40 timmar/vecka" in quote


def test_a_sentence_longer_than_the_limit_is_cut_around_the_words_that_answer():
    text = " ".join(["inledande ord"] * 40) + " och här står svaret om laglighetsprövning sist."
    quote = best_excerpt(text, _overlap("laglighetsprövning svaret"), limit=80)
    assert quote.startswith("…") and "svaret om laglighetsprövning" in quote and len(quote) <= 80


def test_the_quote_never_exceeds_the_limit_and_runs_on_while_it_fits():
    quote = best_excerpt(INTERVALS, _overlap("rättssäkerhet"), limit=60)
    assert quote == "Syftet med intervallerna är rättssäkerhet."
    whole = best_excerpt(INTERVALS, _overlap("tidsintervaller"), limit=400)
    assert whole == " ".join(sentences(INTERVALS))


def test_a_question_sharing_no_word_gets_the_passage_start():
    assert best_excerpt(INTERVALS, lambda text: 0.0, limit=70).startswith("Omfattningen delas in")


def test_an_empty_passage_gives_an_empty_quote():
    assert best_excerpt("", _overlap("vad som helst")) == ""


# 002 §1.1 as the document has it: the sentence naming the target group ends in ":", the definition follows.
TARGET_GROUP = (
    "Sysselsättning är en insats inom socialpsykiatri i Stockholms stad, och vänder sig till de personer som ingår i "
    "målgruppen för socialpsykiatriska insatser enligt följande definition från Nationell psykiatrisamordning:\n"
    "”En person har ett psykiskt funktionshinder om han/hon, har väsentliga svårigheter med att utföra aktiviteter på "
    "viktiga livsområden.”\nSysselsättning är ett individuellt anpassat stöd till individer i yrkesverksam ålder."
)


def test_a_quote_does_not_stop_on_a_sentence_ending_in_a_colon():
    # 217 + 134 characters: past the limit of 250, within one and a half times it.
    quote = best_excerpt(TARGET_GROUP, _overlap("vad är målgruppen"), limit=250)
    assert quote.startswith("Sysselsättning är en insats") and "väsentliga svårigheter" in quote
    assert "yrkesverksam" not in quote


def test_a_lead_in_is_not_finished_when_what_follows_is_far_too_long():
    quote = best_excerpt(TARGET_GROUP, _overlap("vad är målgruppen"), limit=230)
    assert quote.startswith("Sysselsättning är en insats") and "väsentliga svårigheter" not in quote
