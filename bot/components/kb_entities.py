"""A spaCy entity ruler built from the knowledge base, as a Rasa NLU component.

At training time it reads the patterns exported from the knowledge base
(``scripts/export_entity_patterns.py`` writes ``var/entity_patterns.jsonl``) and stores
them in the model, so the trained model does not depend on ``var/``. At run time it runs a
blank Indonesian spaCy pipeline with an ``entity_ruler`` (case-insensitive phrase
matching) and adds ``service``, ``institution`` and ``life_event`` entities whose value is
the knowledge-base id (``akta-kelahiran``, ``dukcapil``, ``birth``).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components import action_timeout, fail_closed, speedups

logger = logging.getLogger(__name__)
speedups.install()  # cheap: builds one JSON-schema validator (see speedups.py)
action_timeout.install()  # endpoints.yml's action_endpoint.timeout (see action_timeout.py)
fail_closed.install()  # a failing tracker store fails the turn (see fail_closed.py)

PATTERNS_FILE = "patterns.jsonl"
ENV_PATTERNS = "NAVIGATOR_ENTITY_PATTERNS"


def read_patterns(path: Path) -> List[Dict[Text, Text]]:
    """Patterns from a JSON-lines file; a clear error when it is missing."""
    if not path.is_file():
        raise FileNotFoundError(
            f"entity patterns {path} not found: run "
            "'.venv/bin/python scripts/export_entity_patterns.py' (make train does)"
        )
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def make_ruler(patterns: List[Dict[Text, Text]]) -> Any:
    """A blank Indonesian spaCy pipeline with a lower-case entity ruler."""
    nlp = spacy.blank("id")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(patterns)
    return nlp


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class KnowledgeBaseEntityRuler(GraphComponent, EntityExtractorMixin):
    """Adds knowledge-base entities (service, institution, life_event) to each message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """``patterns``: the exported file, relative to the bot folder."""
        return {"patterns": "../var/entity_patterns.jsonl"}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        patterns: Optional[List[Dict[Text, Text]]] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._patterns = patterns or []
        self._nlp = make_ruler(self._patterns)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "KnowledgeBaseEntityRuler":
        """A new, untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Read the exported patterns and persist them with the model."""
        path = Path(os.environ.get(ENV_PATTERNS) or self._config["patterns"])
        self._patterns = read_patterns(path)
        self._nlp = make_ruler(self._patterns)
        with self._model_storage.write_to(self._resource) as directory:
            lines = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in self._patterns)
            (directory / PATTERNS_FILE).write_text(lines, encoding="utf-8")
        logger.info("entity ruler trained with %d patterns from %s", len(self._patterns), path)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "KnowledgeBaseEntityRuler":
        """The component with the patterns stored in the model."""
        try:
            with model_storage.read_from(resource) as directory:
                patterns = read_patterns(directory / PATTERNS_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("no entity patterns in the model; the ruler finds nothing")
            patterns = []
        return cls(config, model_storage, resource, patterns)

    def extract(self, text: Text) -> List[Dict[Text, Any]]:
        """Entities in ``text`` (Rasa's entity dicts, value = knowledge-base id)."""
        doc = self._nlp(text)
        return [
            {
                "entity": ent.label_,
                "value": ent.ent_id_ or ent.text.lower(),
                "start": ent.start_char,
                "end": ent.end_char,
                "confidence_entity": 1.0,
                "text": ent.text,
            }
            for ent in doc.ents
        ]

    def process(self, messages: List[Message]) -> List[Message]:
        """Add the entities to each message."""
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = self.add_extractor_name(self.extract(text))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples keep their annotated entities only."""
        return training_data
