"""Python's cyclic garbage collector in a server that has just loaded a model.

Each of the three processes starts with hundreds of thousands of long-lived objects (Rasa's
model, TensorFlow, spaCy and scikit-learn modules; torch and the search index; FastAPI and the
index in the app: 655 000 tracked objects in the Rasa process). Every full collection walks all
of them again: 0.4-0.8 s during which the process answers nobody, several times a minute under
load (docs/benchmarks.md, session 7). Frozen once start-up is done, they are left out of every
later collection; what the turns allocate is collected as before.
"""
import gc
import logging

logger = logging.getLogger(__name__)


def freeze_start_up_objects() -> None:
    """Call once, when the process has loaded everything it keeps and before it serves."""
    gc.collect()  # the start-up's own garbage is freed, not frozen
    gc.freeze()
    logger.info("%d objekt från starten undantas från skräpsamlingen", gc.get_freeze_count())


def thaw_start_up_objects() -> None:
    """At shutdown: a process that served the app in-process (a test's TestClient) is left as it
    was, not with its objects frozen for the rest of its life."""
    gc.unfreeze()
