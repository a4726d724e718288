"""Which template a client's deck uses: the command's, else the client's, else the default."""

from __future__ import annotations

from playbook.data.clients import load_client
from playbook.report.pptx import deck_template


def test_the_command_line_template_wins_over_the_clients(make_client, tmp_path):
    clients = make_client(config={"pptx_template": "firm.pptx"}, files={"firm.pptx": b"x"})
    data = load_client("acme", clients)
    own = tmp_path / "mine.pptx"
    assert deck_template(data, own) == own
    assert deck_template(data) == clients.resolve() / "acme" / "firm.pptx"
    assert deck_template(load_client("other", make_client("other"))) is None
