"""The knowledge base: schema, loading with file and line, validation, rendering."""

from navigator.kb.loader import KnowledgeBase, KnowledgeBaseError, Problem, load_knowledge_base
from navigator.kb.schema import LIFE_EVENT_IDS, LifeEvent, Service

__all__ = [
    "LIFE_EVENT_IDS",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "LifeEvent",
    "Problem",
    "Service",
    "load_knowledge_base",
]
