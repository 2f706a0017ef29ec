"""Sentence encoders behind one small interface, chosen by settings."""

from embeddings.encoders.base import Encoder, EncoderSettings, make_encoder

__all__ = ["Encoder", "EncoderSettings", "make_encoder"]
