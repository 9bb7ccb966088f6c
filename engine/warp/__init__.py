"""The WARP loop (Writing As Reasoning Policy, AgentCPM-Report): one module per concern.

outline   the tree, positions, cursor         actions   the five actions and JSON schemas
parse     reply -> action (never crashes)     validate  the authors' strict "hard mode"
language  query/output language check         registry  textidN citation keys
render    compact / abbreviated / focused     prompts   the protocol's prompt interface
budget    fit prompts into the context        (grammars: engine.llm.grammar)
events    typed events the run yields         edits     the user's co-editing commands
run       the loop itself                     stats     counts next to the paper's
"""
