"""The five WARP actions and the JSON schemas of those that carry JSON.

Schemas state the protocol's exact keys (no others) and the hard-mode counts; they feed
both constrained decoding and validation, so the two never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass

SEARCH, INIT_PLAN, WRITE, EXTEND_PLAN, NOP = "search", "init-plan", "write", "extend-plan", "nop"
MAX_KEYWORDS = 5
INIT_SECTIONS = (3, 12)
EXTEND_SUBSECTIONS = (2, 7)


@dataclass
class PlanItem:
    title: str
    plan: str


@dataclass
class Search:
    keywords: list[str]
    name: str = SEARCH


@dataclass
class InitPlan:
    title: str
    sections: list[PlanItem]
    name: str = INIT_PLAN


@dataclass
class Write:
    text: str
    name: str = WRITE


@dataclass
class ExtendPlan:
    position: str
    subsections: list[PlanItem]
    name: str = EXTEND_PLAN


@dataclass
class Nop:
    name: str = NOP


Action = Search | InitPlan | Write | ExtendPlan | Nop


def _string(min_length: int = 1) -> dict:
    return {"type": "string", "minLength": min_length}


def _plan_items(bounds: tuple[int, int]) -> dict:
    item = {"type": "object", "properties": {"title": _string(), "plan": _string()},
            "required": ["title", "plan"], "additionalProperties": False}
    return {"type": "array", "items": item, "minItems": bounds[0], "maxItems": bounds[1]}


def _object(name: str, properties: dict) -> dict:
    props = {"name": {"const": name}, **properties}
    return {"type": "object", "properties": props, "required": list(props),
            "additionalProperties": False}


SEARCH_SCHEMA = _object(SEARCH, {"keywords": {"type": "array", "items": _string(),
                                              "minItems": 1, "maxItems": MAX_KEYWORDS}})
INIT_PLAN_SCHEMA = _object(INIT_PLAN, {"title": _string(),
                                       "sections": _plan_items(INIT_SECTIONS)})
NOP_SCHEMA = _object(NOP, {})


def extend_plan_schema(positions: list[str] | None = None, allow_nop: bool = True) -> dict:
    """extend-plan (optionally limited to given positions) or nop, as one step's choice."""
    position = {"enum": positions} if positions else {"type": "string",
                                                      "pattern": r"^section-\d+(\.\d+)?$"}
    extend = _object(EXTEND_PLAN, {"position": position,
                                   "subsections": _plan_items(EXTEND_SUBSECTIONS)})
    return {"anyOf": [extend, NOP_SCHEMA]} if allow_nop else extend
