"""`purpose app` on a port that is taken: one sentence, a way out, the "environment" exit code."""

from __future__ import annotations

import socket

from purpose_app.errors import EnvironmentProblem


def test_a_port_in_use_is_one_sentence_with_a_suggestion_and_exit_7(purpose_exe, tmp_path):
    """Nothing is announced, no traceback; the message names the port and how to choose another."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = purpose_exe("app", "--no-browser", "--port", str(port), "--vault", str(tmp_path / "v"))
    err = result.stderr.decode()
    assert result.returncode == EnvironmentProblem.exit_code == 7
    assert f"Port {port} is already in use" in err and f"--port {port + 1}" in err
    assert "Traceback" not in err and "running at" not in result.stdout.decode()
    assert not (tmp_path / "v").exists()  # nothing was created for a server that never started
