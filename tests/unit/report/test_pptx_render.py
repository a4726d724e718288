"""How the renderer picks the deck's template: the command's, else the client's, else none."""

from __future__ import annotations

from pathlib import Path

from playbook.data.clients import load_client
from playbook.report.assemble import deck_template
from playbook.report.render import RenderOptions


def test_the_command_line_template_wins_over_the_clients(make_client, tmp_path):
    clients = make_client(config={"pptx_template": "firm.pptx"}, files={"firm.pptx": b"x"})
    data = load_client("acme", clients)
    own = tmp_path / "mine.pptx"
    assert deck_template(data, RenderOptions(("acme",), pptx_template=own)) == own
    assert deck_template(data, RenderOptions(("acme",))) == clients.resolve() / "acme" / "firm.pptx"
    plain = load_client("other", make_client("other"))
    assert deck_template(plain, RenderOptions(("other",))) is None
    assert isinstance(deck_template(data, RenderOptions(("acme",))), Path)
