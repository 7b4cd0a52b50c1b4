"""The key commands: `purpose init`, `passwd`, `recover`, `recovery-key --regenerate`, and `unlock`,
`lock` and `status` (cli/agent.py)."""

from __future__ import annotations

from purpose_app import messages
from purpose_app.cli import agent
from purpose_app.cli.context import Context
from purpose_app.cli.registry import Commands


def _init(ctx: Context) -> int:
    from purpose_app.services import key_cost, vault, vault_folder

    cost = ctx.key_cost()
    vault_folder.refuse_existing(ctx.folder)  # before asking for anything
    passphrase = ctx.secrets.ask("PURPOSE_PASSPHRASE", "New passphrase: ", confirm=True)
    opened, recovery_key = vault.create(ctx.folder, passphrase, cost, allow_synced=ctx.allow_synced)
    opened.lock()
    if key_cost.is_test(cost):
        ctx.warn(messages.TEST_KDF_WARNING)
    ctx.emit(
        {"vault": str(ctx.folder), "recovery_key": recovery_key},
        f"Created your vault in {ctx.folder}.\n\n"
        f"Your recovery key (shown only this once):\n\n    {recovery_key}\n\n"
        "Print it or write it down and keep it somewhere safe, away from this device. If you forget\n"
        "your passphrase, this key is the only way back in: nobody, including us, can recover a\n"
        "vault without one of them.",
    )
    return 0


def _passwd(ctx: Context) -> int:
    from purpose_app.services import key_cost

    with ctx.unlock() as opened:
        # An unknown PURPOSE_KDF_PROFILE here has always ended as an unexpected error (exit 1): kept.
        opened.change_passphrase(ctx.secrets.new_passphrase(), key_cost.from_env())
    ctx.emit({"changed": True}, "Your passphrase is changed. Your recovery key still works.")
    return 0


def _recover(ctx: Context) -> int:
    from purpose_app.services import key_cost, vault

    key = ctx.secrets.ask("PURPOSE_RECOVERY_KEY", "Recovery key: ")
    with vault.unlock_with_recovery(ctx.folder, key, allow_synced=ctx.allow_synced) as opened:
        opened.change_passphrase(ctx.secrets.new_passphrase(), key_cost.from_env())
    ctx.emit(
        {"changed": True},
        "Your new passphrase is set. Your recovery key still works; if someone else may have seen\n"
        "it, replace it with `purpose recovery-key --regenerate`.",
    )
    return 0


def _recovery_key(ctx: Context) -> int:
    with ctx.unlock() as opened:
        recovery_key = opened.regenerate_recovery_key()
    ctx.emit(
        {"recovery_key": recovery_key},
        f"Your new recovery key (shown only this once):\n\n    {recovery_key}\n\n"
        "The old one no longer works. Print or write down this one and keep it safe.",
    )
    return 0


def add_init(commands: Commands) -> None:
    """Register init (first in the list of commands, as the first thing anyone runs)."""
    commands.add("init", "create a new vault (shows your recovery key once)", _init)


def add_commands(commands: Commands) -> None:
    """Register passwd, recover, recovery-key, unlock, lock and status."""
    commands.add("passwd", "change the passphrase (PURPOSE_NEW_PASSPHRASE for scripts)", _passwd)
    commands.add("recover", "set a new passphrase with the recovery key (PURPOSE_RECOVERY_KEY)", _recover)
    rkey = commands.add("recovery-key", "replace the recovery key (the old one stops working)", _recovery_key)
    rkey.add_argument("--regenerate", action="store_true", required=True)
    agent.add_commands(commands)
