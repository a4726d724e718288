"""The demo client profiles: one YAML file per client beside this module, by client id.

Each ``<client_id>.yaml`` is data, loaded into the typed spec (``playbook.demo.spec``): a
mapping per dataclass, a list per tuple (pairs such as ``payments`` may be written as a
mapping), and a field left out takes its dataclass default. A wrong key or value fails with
the file and the key named. Adding a demo client is adding a YAML file here.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from importlib import resources
from typing import Any, Union

import yaml

from playbook.demo.spec import DemoProfile

#: libyaml's safe loader when PyYAML was built with it (ten times faster), else PyYAML's own.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ProfileError(ValueError):
    """A demo profile file that does not fit the spec; the message names file and key."""


def _scalar(tp: Any, value: Any, where: str) -> Any:
    """Check a scalar against its annotation and return it as written (ints stay ints)."""
    if tp is Any:
        return value
    if typing.get_origin(tp) in (Union, types.UnionType):
        options = typing.get_args(tp)
        if value is None and type(None) in options:
            return None
        return _build(next(t for t in options if t is not type(None)), value, where)
    expected = {float: (int, float), int: (int,), str: (str,), bool: (bool,)}.get(tp)
    if expected is not None and (
        not isinstance(value, expected) or (tp is not bool and isinstance(value, bool))
    ):
        raise ProfileError(f"{where}: expected {tp.__name__}, got {value!r}")
    return value


def _build(tp: Any, value: Any, where: str) -> Any:
    """Return ``value`` (parsed YAML) as an instance of the annotation ``tp``."""
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ProfileError(f"{where}: expected a mapping of {tp.__name__} fields")
        hints = typing.get_type_hints(tp)
        fields = {f.name: f for f in dataclasses.fields(tp)}
        unknown = sorted(set(value) - set(fields))
        if unknown:
            raise ProfileError(f"{where}: unknown key(s) {', '.join(unknown)}")
        missing = [
            name
            for name, f in fields.items()
            if name not in value
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ]
        if missing:
            raise ProfileError(f"{where}: missing key(s) {', '.join(missing)}")
        return tp(**{k: _build(hints[k], v, f"{where}.{k}") for k, v in value.items()})
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is tuple:
        if isinstance(value, dict) and args[-1] is Ellipsis:
            value = list(value.items())  # pairs written as a mapping
        if not isinstance(value, list | tuple):
            raise ProfileError(f"{where}: expected a list, got {value!r}")
        items = args[:1] * len(value) if args[-1] is Ellipsis else args
        if len(items) != len(value):
            raise ProfileError(f"{where}: expected {len(items)} values, got {len(value)}")
        return tuple(
            _build(t, v, f"{where}[{i}]") for i, (t, v) in enumerate(zip(items, value, strict=True))
        )
    if origin is dict:
        if not isinstance(value, dict):
            raise ProfileError(f"{where}: expected a mapping, got {value!r}")
        return {k: _build(args[1], v, f"{where}.{k}") for k, v in value.items()}
    return _scalar(tp, value, where)


def load_profile(text: str, name: str) -> DemoProfile:
    """Return the profile in a YAML document; ``name`` (the file) prefixes every error.

    Raises:
        ProfileError: a key the spec does not know, a required one missing, a wrong value.
    """
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{name}: not valid YAML: {exc}") from None
    return _build(DemoProfile, data, name)


def _load_all() -> dict[str, DemoProfile]:
    found = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            p = load_profile(entry.read_text("utf-8"), f"demo/profiles/{entry.name}")
            if f"{p.id}.yaml" != entry.name:
                raise ProfileError(f"demo/profiles/{entry.name}: id is {p.id!r}, not the file name")
            found[p.id] = p
    return found


#: Every demo profile, by client id.
PROFILES: dict[str, DemoProfile] = _load_all()


def profile(client_id: str) -> DemoProfile:
    """Return the profile of a demo client.

    Raises:
        KeyError: If there is no demo client with this id.
    """
    try:
        return PROFILES[client_id]
    except KeyError:
        raise KeyError(f"no demo client {client_id!r}; known: {', '.join(PROFILES)}") from None
