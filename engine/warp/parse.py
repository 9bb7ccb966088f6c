"""Turn a model reply into an action. Never raises anything but InvalidReply.

Reply format: `<thought> ... </thought>` then `<action> ... </action>`. The action body is
JSON for every action but write, whose body is the section's Markdown. As in the authors'
checker the thought is optional (a reply without one is weaker, not wrong) and the action
is the first `<action>...</action>` anywhere in the reply; positions are read regardless
of case ("Section-2" is section-2).
"""
from __future__ import annotations

import json
import re

from engine.warp.actions import (EXTEND_PLAN, INIT_PLAN, NOP, SEARCH, WRITE, Action,
                                 ExtendPlan, InitPlan, Nop, PlanItem, Search, Write)

_THOUGHT = re.compile(r"<thought>(.*?)</thought>", re.S)
_ACTION = re.compile(r"<action>(.*?)</action>", re.S)
_EXACT_KEYS = {SEARCH: {"name", "keywords"}, INIT_PLAN: {"name", "title", "sections"},
               EXTEND_PLAN: {"name", "position", "subsections"}, NOP: {"name"}}


class InvalidReply(ValueError):
    """The reply does not follow the protocol; the message says why (stored per step)."""


_POSITION = re.compile(r"\s*section-(\d+(?:\.\d+)*)\s*", re.I)


def split_reply(reply: str) -> tuple[str, str]:
    """(thought, action body); the thought is "" when the reply has none."""
    if not isinstance(reply, str):
        raise InvalidReply("reply is not text")
    thought = _THOUGHT.search(reply)
    action = _ACTION.search(reply)
    if action is None:
        raise InvalidReply("missing <action>...</action>")
    if reply.count("<action>") > 1 or reply.count("</thought>") > 1:
        # e.g. a passage's fake tags copied into the thought: which action is meant?
        raise InvalidReply("more than one <thought> or <action> in the reply")
    return (thought.group(1).strip() if thought else ""), action.group(1).strip()


def canonical_position(position: str) -> str:
    """'Section-2.1' -> 'section-2.1'; anything else unchanged (the validator names it)."""
    match = _POSITION.fullmatch(position)
    return f"section-{match.group(1)}" if match else position


def parse_reply(reply: str, allowed: tuple[str, ...]) -> tuple[str, Action]:
    """Parse a reply for a step whose allowed actions are `allowed`."""
    thought, body = split_reply(reply)
    if allowed == (WRITE,):
        return thought, Write(text=body)
    return thought, parse_json_action(body, allowed)


def parse_json_action(body: str, allowed: tuple[str, ...]) -> Action:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InvalidReply(f"action is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidReply("action JSON is not an object")
    name = data.get("name")
    if not isinstance(name, str) or name not in allowed:
        raise InvalidReply(f"action name {name!r} not allowed here (expected {allowed})")
    keys = set(data)
    if keys != _EXACT_KEYS[name]:
        raise InvalidReply(f"{name} must have exactly the keys {sorted(_EXACT_KEYS[name])}, "
                           f"got {sorted(keys)}")
    return _build(name, data)


def _strings(value, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidReply(f"{what} must be a list of strings")
    return value


def _plan_items(value, what: str) -> list[PlanItem]:
    if not isinstance(value, list):
        raise InvalidReply(f"{what} must be a list")
    items = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"title", "plan"}:
            raise InvalidReply(f"each of {what} must have exactly 'title' and 'plan'")
        if not isinstance(item["title"], str) or not isinstance(item["plan"], str):
            raise InvalidReply(f"title and plan in {what} must be strings")
        items.append(PlanItem(title=item["title"], plan=item["plan"]))
    return items


def _build(name: str, data: dict) -> Action:
    if name == SEARCH:
        return Search(keywords=_strings(data["keywords"], "keywords"))
    if name == INIT_PLAN:
        if not isinstance(data["title"], str):
            raise InvalidReply("title must be a string")
        return InitPlan(title=data["title"], sections=_plan_items(data["sections"], "sections"))
    if name == EXTEND_PLAN:
        if not isinstance(data["position"], str):
            raise InvalidReply("position must be a string")
        return ExtendPlan(position=canonical_position(data["position"]),
                          subsections=_plan_items(data["subsections"], "subsections"))
    return Nop()
