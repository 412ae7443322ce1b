"""The yes-opening feature (nlu/components/answer_cues.py): a reply that opens with a yes."""
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components.answer_cues import AnswerCueFeaturizer
from nlu.facts import opens_with_yes


def _feature(text: str) -> float:
    message = Message({TEXT: text})
    AnswerCueFeaturizer("cues").process([message])
    (feature,) = [f for f in message.features if f.type == FEATURE_TYPE_SENTENCE]
    return float(feature.features.toarray()[0, 0])


def test_a_reply_that_opens_with_yes_and_goes_on_with_content_is_marked():
    assert opens_with_yes("jo fsd har han")
    assert _feature("ja af har en lämplig åtgärd") == 1.0


def test_a_yes_word_later_in_a_case_description_or_a_no_marks_nothing():
    assert not opens_with_yes("Hon har tackat ja till att vi samordnar med psykiatrin.")
    assert _feature("nej, hon tillhör ingen personkrets") == 0.0
