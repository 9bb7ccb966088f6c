"""The WARP loop: search -> init-plan/write until every node is written, then
extend-plan (deepening) or nop; one model call per step.

`WarpRun.events()` is a generator of typed events (engine.warp.events); it commits every
step to the project store before yielding StepFinished, so a kill loses at most the step
in flight and a new WarpRun over the same store continues where it stopped. Co-editing:
`submit(edit)` from any thread; edits apply at the next step boundary. A run owns the
backend and retriever it is given: `with open_run(store) as run:` closes them.
"""
from __future__ import annotations

import dataclasses
import queue
import time
from typing import Iterator

from engine.cancel import Cancelled, CancelToken
from engine.language import query_language
from engine.library.errors import NOTHING_INDEXED, LibraryError
from engine.library.types import Retriever
from engine.llm.base import Backend, ContextOverflow, GenerationRequest, GenerationResult, TokenDelta
from engine.project.project_store import ProjectStore, StepRecord
from engine.report.outline import OUTLINE_CURSOR
from engine.warp import events as ev
from engine.warp.actions import EXTEND_PLAN, INIT_PLAN, NOP, SEARCH, WRITE
from engine.warp.apply import StepContext, apply_action, fallback_after_failures
from engine.warp.coediting import apply_user_edit, prune_deepen
from engine.warp.degenerate import is_degenerate
from engine.llm.grammar import is_small_model, use_grammar
from engine.warp.edits import EditError
from engine.warp.parse import InvalidReply, parse_reply
from engine.warp.profile import ModelProfile, resolve_profile
from engine.warp.prompts import user_message
from engine.warp.render import Abbreviator
from engine.warp.state import RunSettings, RunState
from engine.warp.stats import run_counts, run_stats
from engine.warp.step_prompt import build_step_prompt, extend_positions
from engine.warp.step_summary import summarize
from engine.warp.validate import ValidationContext, validate

ALLOWED = {SEARCH: (SEARCH,), INIT_PLAN: (INIT_PLAN,), WRITE: (WRITE,),
           EXTEND_PLAN: (EXTEND_PLAN, NOP)}
ACTION_CLOSE = "</action>"


class WarpRun:
    def __init__(self, store: ProjectStore, backend: Backend, retriever: Retriever,
                 settings: RunSettings | None = None, cancel: CancelToken | None = None,
                 profile: ModelProfile | None = None):
        self.store, self.backend, self.retriever = store, backend, retriever
        self.settings = settings or RunSettings.from_dict(store.settings.get("run"))
        self.profile = profile or resolve_profile(self.settings.prompts,
                                                  store.settings.get("model"))
        for name in ("max_tokens", "temperature", "top_p", "outline_passages",
                     "section_passages"):   # unset: the profile's
            if getattr(self.settings, name) is None:
                setattr(self.settings, name, getattr(self.profile, name))
        self.cancel = cancel or CancelToken()
        self.query = store.query
        self.language = query_language(self.query)
        self.outline = store.load_outline()
        self.state = RunState.from_dict(store.load_run_state())
        self.registry = store.load_registry()
        self.abbreviate = Abbreviator(backend.tokenize, backend.detokenize)
        self._edits: queue.Queue = queue.Queue()
        self._closed = False
        self._claims = None     # the claim checker, made at the first write

    # --- what the run owns -----------------------------------------------------------
    def close(self) -> None:
        """Close the model backend and the library the run was given (idempotent). The
        project store stays open: whoever opened it closes it, after exporting."""
        if self._closed:
            return
        self._closed = True
        try:
            self.backend.close()
        finally:
            self.retriever.close()

    def __enter__(self) -> "WarpRun":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- co-editing ------------------------------------------------------------------
    def submit(self, edit) -> None:
        """Queue a user edit (thread-safe); applied before the next step."""
        self._edits.put(edit)

    def _apply_edits(self) -> Iterator[ev.Event]:
        changed = False
        while not self._edits.empty():
            edit = self._edits.get_nowait()
            try:
                description = apply_user_edit(self.outline, self.state, edit)
            except (EditError, KeyError) as exc:
                yield ev.EditRefused(f"edit refused: {exc}", edit=type(edit).__name__,
                                     refused=edit)
                continue
            changed = True
            payload = {"edit": type(edit).__name__, **dataclasses.asdict(edit),
                       "result": description}
            self._save_decision(self.state.steps, "edit", payload)
        if changed:
            yield self._outline_event()

    # --- the loop ----------------------------------------------------------------------
    def events(self) -> Iterator[ev.Event]:
        yield self._outline_event()
        # Edits prune impossible deepen requests as they apply; this catches a queue
        # saved before that rule existed.
        for note in prune_deepen(self.outline, self.state):
            yield ev.Warning(f"{note}; deepening request dropped")
        try:
            while True:
                yield from self._apply_edits()
                self.cancel.raise_if_cancelled()
                kind = self._next_kind()
                if kind is None:
                    yield self._done("complete")
                    return
                if self.state.steps >= self.settings.max_steps:
                    yield self._done("step limit")
                    return
                yield from self._step(kind)
        except Cancelled:
            # Edits sent during the cancelled step (text typed, then Stop) are kept.
            yield from self._apply_edits()
            yield self._done("cancelled")
        except (ContextOverflow, LibraryError) as exc:
            yield ev.Error(str(exc))
            yield self._done("error")

    def _next_kind(self) -> str | None:
        if self.state.deepen:
            return EXTEND_PLAN
        cursor = self.outline.cursor()
        if cursor is None:
            done = (self.state.nop or self.state.extends >= self.settings.max_extends
                    or not extend_positions(self.outline))
            return None if done else EXTEND_PLAN
        if self.state.phase == "act" and self._searched_for(cursor):
            return INIT_PLAN if cursor == OUTLINE_CURSOR else WRITE
        return SEARCH

    def _searched_for(self, cursor: str) -> bool:
        """The pending passages were found for this very node (by id when known: a
        deleted section shifts the positions after it)."""
        if self.state.search_cursor != cursor:
            return False
        if cursor == OUTLINE_CURSOR or self.state.search_node is None:
            return True
        return self.outline.node_at(cursor).node_id == self.state.search_node

    def _done(self, reason: str) -> ev.Done:
        if reason != "cancelled":
            self.state.finished = reason
            self._save_decision(self.state.steps, "finished", {"reason": reason})
        return ev.Done(stats=run_stats(self.store), reason=reason)

    def _save_decision(self, after_step: int, kind: str, payload: dict) -> None:
        """Record a decision (edit, review, finish) with the outline and state it left."""
        self.store.commit_decision(after_step, kind, payload, self.outline,
                                   self.state.to_dict(), self.registry)

    def _step_context(self, step: int, cursor: str | None,
                      deepen_position: str | None) -> StepContext:
        return StepContext(step=step, cursor=cursor, deepen_position=deepen_position,
                           query=self.query, outline=self.outline, state=self.state,
                           registry=self.registry, retriever=self.retriever,
                           passage_budget=self.settings.passage_budget,
                           interactive=self.settings.interactive,
                           max_retries=self.settings.max_retries,
                           save_decision=self._save_decision)

    def _outline_event(self) -> ev.OutlineChanged:
        return ev.OutlineChanged(outline=self.outline.to_dict(), cursor=self.outline.cursor())

    # --- one step ------------------------------------------------------------------------
    def _step(self, kind: str) -> Iterator[ev.Event]:
        if kind == SEARCH and self.retriever.is_empty():
            # Sections are written from evidence: stop before asking the model to search
            # nothing. The project stays as it is, to resume once documents are added.
            raise LibraryError(f"library {self.retriever.name!r} {NOTHING_INDEXED}: add "
                               "documents to it, then resume")
        started = time.perf_counter()
        step, cursor = self.state.steps + 1, self.outline.cursor()
        attempt = self.state.failures + 1
        deepen_position = (self.outline.position_of(self.state.deepen[0])
                           if kind == EXTEND_PLAN and self.state.deepen else None)
        threads = self._threads()
        yield ev.StepStarted(step=step, action=kind, cursor=cursor, attempt=attempt,
                             threads=threads)
        passages = [(k, self.registry.resolve(k)) for k in self.state.pending_keys
                    if kind in (INIT_PLAN, WRITE) and self.registry.resolve(k)]
        prompt = build_step_prompt(kind, query=self.query, outline=self.outline, cursor=cursor,
                                   passages=passages, backend=self.backend,
                                   abbreviate=self.abbreviate,
                                   max_tokens=self.settings.max_tokens,
                                   reply_share=self.settings.reply_context_share,
                                   min_reply=self.settings.min_reply_tokens,
                                   constrained=use_grammar(self.settings.constrained,
                                                           self.backend, attempt),
                                   templates=self.profile.templates,
                                   deepen_position=deepen_position,
                                   large_model=not is_small_model(self.backend))
        if prompt.moves:
            yield ev.Warning(f"step {step}: prompt shrunk to fit the context: "
                             + "; ".join(prompt.moves))
        generating = time.perf_counter()
        result = yield from self._generate(kind, prompt, step)
        model_seconds = time.perf_counter() - generating
        action, problems = self._check(kind, result, prompt, deepen_position)
        context = self._step_context(step, cursor, deepen_position)
        if not problems:
            self.state.failures = 0
            outcome = yield from apply_action(context, action)
        else:
            self.state.failures += 1
            self.state.retries += 1
            self.state.degenerate += any(map(is_degenerate, problems))
            outcome = yield from fallback_after_failures(context, kind)
        self.state.steps = step
        engine_seconds = (time.perf_counter() - started - outcome.user_seconds
                          - model_seconds - outcome.retrieval_seconds)
        record = StepRecord(
            step=step, kind=kind, cursor=cursor, attempt=attempt, prompt=prompt.text,
            raw_reply=result.text, valid=not problems, problems=problems,
            action=dataclasses.asdict(action) if action is not None else None,
            shown_keys=[k for k, _ in (outcome.shown or prompt.shown)],
            budget_moves=prompt.moves, prompt_tokens=result.prompt_tokens or prompt.tokens,
            prompt_tokens_evaluated=result.prompt_tokens_evaluated,
            completion_tokens=result.completion_tokens, model_seconds=model_seconds,
            retrieval_seconds=outcome.retrieval_seconds,
            engine_seconds=max(0.0, engine_seconds))
        self.store.commit_step(record, self.outline, self.state.to_dict(), self.registry)
        if kind == WRITE and record.valid and outcome.outline_changed:
            yield from self._check_claims(self.outline.node_at(cursor).node_id)
        summary = summarize(self.outline, self.registry, action, cursor,
                            applied=not problems and outcome.outline_changed)
        yield self._finished_event(record, outcome.action_name or kind, summary,
                                   run_counts(self.store, self.state), threads)
        if outcome.outline_changed:
            yield self._outline_event()

    def _check_claims(self, node_id: str) -> Iterator[ev.Event]:
        """Check the section just written and record its flags in the project (beside
        the run: nothing here reaches a prompt). A failure costs the flags, not the run."""
        from engine.check import open_checker, recheck_section
        from engine.check.model_check import model_can_check

        try:
            if self._claims is None:
                self._claims = open_checker(self.retriever)
            recheck_section(self.store, node_id, self._claims, self.retriever,
                            model=self.backend if model_can_check(self.backend) else None)
        except Exception as exc:   # noqa: BLE001 - the check is advice; the run goes on
            yield ev.Warning(f"claim check skipped for this section: {exc}")

    @staticmethod
    def _finished_event(record: StepRecord, action_name: str, summary: ev.StepSummary,
                        counts: dict, threads: int | None) -> ev.StepFinished:
        return ev.StepFinished(step=record.step, action=action_name, cursor=record.cursor,
                               valid=record.valid, problems=record.problems,
                               prompt_tokens=record.prompt_tokens,
                               prompt_tokens_evaluated=record.prompt_tokens_evaluated,
                               completion_tokens=record.completion_tokens,
                               model_seconds=record.model_seconds,
                               retrieval_seconds=record.retrieval_seconds, summary=summary,
                               counts=counts, threads=threads)

    def _threads(self) -> int | None:
        """A local model's CPU threads for the next step, re-checked against other
        programs' load (engine.threads); None for a replay or a server."""
        recheck = getattr(self.backend, "recheck_threads", None)
        return recheck() if recheck is not None else None

    def _generate(self, kind: str, prompt, step: int) -> Iterator[ev.Event]:
        # A fixed seed still varies per step, so a retry is not a replay of the same
        # invalid reply.
        seed = None if self.settings.seed is None else self.settings.seed + step
        # A free reply stops at its closing tag (backends cut the stop string; it is put
        # back) instead of running on to max_tokens after a complete action.
        free = prompt.reply is None
        request = GenerationRequest(messages=user_message(prompt.text),
                                    max_tokens=prompt.reply_budget,
                                    temperature=self.settings.temperature,
                                    top_p=self.settings.top_p, reply=prompt.reply,
                                    cache_slot=kind, seed=seed,
                                    stop=[ACTION_CLOSE] if free else [])
        result: GenerationResult | None = None
        for item in self.backend.stream(request, self.cancel):
            if isinstance(item, TokenDelta):
                yield ev.Token(item.text)
            else:
                result = item
        if result is None or result.finish_reason == "cancelled":
            raise Cancelled()
        if free and result.finish_reason == "stop" and "<action>" in result.text \
                and ACTION_CLOSE not in result.text:
            result = dataclasses.replace(result, text=result.text + ACTION_CLOSE)
        return result

    def _check(self, kind: str, result: GenerationResult, prompt,
               deepen_position: str | None):
        # A reply cut off by the token limit lacks its closing </action>, so it fails to
        # parse here: rejected, as the authors reject it.
        try:
            _, action = parse_reply(result.text, ALLOWED[kind])
        except InvalidReply as exc:
            return None, [str(exc)]
        ctx = ValidationContext(outline=self.outline, language=self.language,
                                shown_keys={k for k, _ in prompt.shown},
                                issued_keys={k for k, _ in self.registry.items()},
                                extend_positions=[deepen_position] if deepen_position else None,
                                instructions=self.profile.templates.texts[WRITE])
        problems = validate(action, ctx)
        if deepen_position and action.name == NOP:
            problems.append(f"you asked to deepen {deepen_position}; nop is not allowed")
        return action, problems
