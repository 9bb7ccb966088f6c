"""The WARP loop (Writing As Reasoning Policy, AgentCPM-Report): one module per concern.

The outline tree and the citation registry it changes live in engine.report.

actions   the five actions and JSON schemas  parse     reply -> action (never crashes)
validate  the authors' strict "hard mode"    render    compact / abbreviated / focused
prompts   the protocol's prompt interface    budget    fit prompts into the context
events    typed events the run yields    (grammars live in engine.llm.grammar)
edits     the user's co-editing commands     coediting edits applied to a run or project
apply     one step's action on the outline   run       the loop itself
run_factory  opens model, library, project   stats     counts next to the paper's
degenerate  loops and copied instructions     eta       the run's time left
"""
