"""Model runtime: backends (llama.cpp in-process, OpenAI-compatible server, replay),
chat templates, grammars for constrained decoding (grammar.py, their one home),
prompt-cache reuse, model catalogue.

    from engine.llm import open_backend
    backend = open_backend("demo")            # or PATH.gguf, a name, replay:FILE, http://...
"""
from engine.llm.factory import open_backend

__all__ = ["open_backend"]
