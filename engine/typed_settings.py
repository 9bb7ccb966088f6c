"""Plain data (JSON) checked against a settings dataclass's field types: the one place
that decides what "false", "12" or null mean for a setting.

    values = checked_fields(AppSettings, data, source="settings.json", choices=CHOICES)

bool takes true/false (and yes/no, on/off, 1/0, as words or numbers), int a whole number
(also written as text), float any number, str text; `X | None` also takes null. A value
that fits no type raises SettingsError naming the key and where it came from. Keys the
dataclass does not have are left out (the caller decides whether to keep them).
"""
from __future__ import annotations

import typing
from dataclasses import fields
from typing import Any

_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


class SettingsError(ValueError):
    """A settings value that fits no allowed value; the message names the key."""


def checked_fields(cls, data: dict[str, Any], source: str,
                   choices: dict[str, tuple] | None = None) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    return {key: _coerce(key, value, hints[key], source, (choices or {}).get(key))
            for key, value in data.items() if key in names}


def _coerce(key: str, value: Any, hint, source: str, allowed: tuple | None) -> Any:
    optional = type(None) in typing.get_args(hint)
    kind = next((t for t in typing.get_args(hint) if t is not type(None)), hint)
    if value is None and optional:
        return None
    convert = _CONVERT.get(kind)
    if convert is None:            # a structured field (dict, list): taken as it is
        return value
    try:
        converted = convert(value)
    except (TypeError, ValueError, OverflowError):
        converted = None
    if converted is None:
        raise SettingsError(f"{source}: {key!r} must be {_DESCRIBE[kind]}"
                            f"{' or null' if optional else ''}, not {value!r}")
    if allowed and converted not in allowed:
        raise SettingsError(f"{source}: {key!r} must be one of {', '.join(allowed)}, "
                            f"not {value!r}")
    return converted


def _to_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, (str, int)) else None
    return True if word in _TRUE else False if word in _FALSE else None


def _to_int(value: Any) -> int | None:
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if isinstance(value, (int, float, str)) else None


def _to_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    return float(value) if isinstance(value, (int, float, str)) else None


def _to_str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


_CONVERT = {bool: _to_bool, int: _to_int, float: _to_float, str: _to_str}
_DESCRIBE = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
