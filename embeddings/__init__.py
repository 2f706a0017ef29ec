"""Search engine: encoders, FAISS and BM25 over the knowledge base, fused and calibrated."""
