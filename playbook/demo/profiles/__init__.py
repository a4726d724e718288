"""The demo client profiles, by client id (adding a client = adding a module here)."""

from __future__ import annotations

from playbook.demo.profiles import brewlane_coffee, slice_pizza, wayfare_travel
from playbook.demo.spec import DemoProfile

PROFILES: dict[str, DemoProfile] = {
    p.id: p for p in (brewlane_coffee.PROFILE, wayfare_travel.PROFILE, slice_pizza.PROFILE)
}


def profile(client_id: str) -> DemoProfile:
    """Return the profile of a demo client.

    Raises:
        KeyError: If there is no demo client with this id.
    """
    try:
        return PROFILES[client_id]
    except KeyError:
        raise KeyError(f"no demo client {client_id!r}; known: {', '.join(PROFILES)}") from None
