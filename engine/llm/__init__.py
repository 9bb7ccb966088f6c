"""Model runtime: backends (llama.cpp in-process, OpenAI-compatible server, replay),
chat templates, grammars for constrained decoding, prompt-cache reuse, model catalogue."""
