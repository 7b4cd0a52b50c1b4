"""Promises about secrets: a wrong one changes nothing and reveals nothing, the recovery key opens and
resets, regenerating it invalidates the old one, and a passphrase change re-wraps the key only."""

from __future__ import annotations

import json

import pytest
from conftest import NEW_PASSPHRASE, PASSPHRASE
from promise_helpers import entry_rows, fingerprint, raw_db

from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.errors import WrongSecret
from purpose_app.services import vault

SECRET_TITLE = "Mrs K. in bay 4"
SECRET_BODY = "I cried in the supply room after the code; nobody must read this."


def _fill(made_vault, count: int = 3) -> list[str]:
    with made_vault.open() as opened:
        return [
            opened.add(
                EntryChanges(title=f"{SECRET_TITLE} #{i}", body=f"{SECRET_BODY} #{i}", tags=("private",))
            ).id
            for i in range(count)
        ]


def _slots(db) -> dict[str, tuple[bytes, bytes]]:
    with raw_db(db) as conn:
        return {name: (bytes(p), bytes(w)) for name, p, w in conn.execute("SELECT * FROM key_slots")}


def _header(db) -> bytes:
    with raw_db(db) as conn:
        return bytes(conn.execute("SELECT value FROM meta WHERE key = 'header'").fetchone()[0])


# -- wrong passphrase --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong",
    [
        "correct horse batterY",
        "correct horse battery ",
        "",
        "x" * 10_000,
        "correct horse battery\x00",
        "çorrect horse battery",
    ],
)
def test_wrong_passphrase_is_typed_error_and_changes_no_byte(made_vault, wrong):
    """A wrong passphrase raises WrongSecret (exit 3) and leaves every file in the vault folder
    byte-for-byte as it was."""
    _fill(made_vault)
    before = fingerprint(made_vault.folder)
    assert "purpose.db" in before
    with pytest.raises(WrongSecret) as caught:
        vault.unlock(made_vault.folder, wrong)
    assert caught.value.exit_code == 3
    assert SECRET_TITLE not in caught.value.message and SECRET_BODY not in caught.value.message
    assert fingerprint(made_vault.folder) == before
    # and the right passphrase still opens it afterwards
    with made_vault.open() as opened:
        assert opened.count() == 3


def test_wrong_passphrase_through_cli_exits_3_without_entry_text(made_vault, run_cli):
    """Every reading command with a wrong passphrase exits 3, prints no entry text, changes no byte."""
    ids = _fill(made_vault)
    before = fingerprint(made_vault.folder)
    wrong = {"PURPOSE_PASSPHRASE": "not the passphrase"}
    for args in (
        ("show", ids[0]),
        ("list", "--json"),
        ("search", "supply"),
        ("edit", ids[1], "--title", "x"),
    ):
        result = run_cli(*args, env=wrong)
        assert result.code == 3, (args, result.err)
        for text in (SECRET_TITLE, SECRET_BODY, "supply room", "private"):
            assert text not in result.err and text not in result.out
        assert result.out == ""
    assert fingerprint(made_vault.folder) == before


def test_wrong_passphrase_in_real_process_exits_3(made_vault, purpose_exe):
    """The installed command in its own process: exit 3, no traceback, no entry text, no byte changed."""
    ids = _fill(made_vault, 1)
    before = fingerprint(made_vault.folder)
    done = purpose_exe(
        "show", ids[0], env={"PURPOSE_VAULT": str(made_vault.folder), "PURPOSE_PASSPHRASE": "nope nope nope"}
    )
    assert done.returncode == 3
    assert done.stdout == b""
    assert b"Traceback" not in done.stderr
    assert SECRET_TITLE.encode() not in done.stderr and SECRET_BODY.encode() not in done.stderr
    assert fingerprint(made_vault.folder) == before


# -- recovery key ------------------------------------------------------------------------------------


def _recovery_spellings(key: str) -> list[str]:
    return [key, key.lower(), key.replace("-", " "), key.replace("-", "").lower(), f"  {key} \n"]


def test_recovery_key_opens_in_any_spelling_and_resets_passphrase(made_vault):
    """The printed recovery key opens the vault (also lower-case, with spaces, without dashes), and
    sets a new passphrase: the new one opens, the old one no longer does, entries intact."""
    ids = _fill(made_vault)
    for spelling in _recovery_spellings(made_vault.recovery_key):
        with vault.unlock_with_recovery(made_vault.folder, spelling) as opened:
            assert sorted(e.id for e in opened.entries()) == sorted(ids)
    with vault.unlock_with_recovery(made_vault.folder, made_vault.recovery_key.lower()) as opened:
        opened.change_passphrase(NEW_PASSPHRASE, kdf.TEST)
    with pytest.raises(WrongSecret):
        vault.unlock(made_vault.folder, PASSPHRASE)
    with vault.unlock(made_vault.folder, NEW_PASSPHRASE) as opened:
        assert opened.get(ids[0]).body == f"{SECRET_BODY} #0"
    # resetting the passphrase leaves the recovery key working
    with vault.unlock_with_recovery(made_vault.folder, made_vault.recovery_key) as opened:
        assert opened.count() == 3


def test_regenerated_recovery_key_invalidates_the_old_one(made_vault):
    """After regenerate_recovery_key the old key raises WrongSecret and the new one opens."""
    ids = _fill(made_vault)
    old_key = made_vault.recovery_key
    with made_vault.open() as opened:
        new_key = opened.regenerate_recovery_key()
    assert new_key != old_key
    with pytest.raises(WrongSecret) as caught:
        vault.unlock_with_recovery(made_vault.folder, old_key)
    assert caught.value.exit_code == 3
    assert "does not open this vault" in caught.value.message
    with vault.unlock_with_recovery(made_vault.folder, new_key) as opened:
        assert opened.get(ids[2]).title == f"{SECRET_TITLE} #2"
    # the passphrase is untouched by a new recovery key
    with made_vault.open() as opened:
        assert opened.count() == 3


def _typo(key: str, position: int) -> str:
    chars = list(key)
    assert chars[position] != "-"
    chars[position] = "A" if chars[position] != "A" else "B"
    return "".join(chars)


@pytest.mark.parametrize("position", [0, 6, 30, 50, 68])
def test_recovery_key_typo_is_reported_as_a_typo(made_vault, position):
    """A one-character typo is caught by the checksum: WrongSecret whose message says it does not
    look like a recovery key and names the checksum, and no file changes."""
    key = made_vault.recovery_key
    before = fingerprint(made_vault.folder)
    with pytest.raises(WrongSecret) as caught:
        vault.unlock_with_recovery(made_vault.folder, _typo(key, position))
    assert "does not look like a recovery key" in caught.value.message
    assert "checksum" in caught.value.message
    assert fingerprint(made_vault.folder) == before


@pytest.mark.parametrize(
    ("text", "detail"),
    [("ABCD-EFGH", "56 letters"), ("", "56 letters")],
)
def test_recovery_key_of_wrong_shape_is_reported(made_vault, text, detail):
    """A recovery key of the wrong length is a WrongSecret that says what a key looks like."""
    with pytest.raises(WrongSecret) as caught:
        vault.unlock_with_recovery(made_vault.folder, text)
    assert detail in caught.value.message


def test_recovery_key_of_another_vault_fails(made_vault, tmp_path):
    """Another vault's (well-formed) recovery key does not open this one, and changes nothing."""
    other, other_key = vault.create(tmp_path / "other", PASSPHRASE, kdf.TEST)
    other.lock()
    before = fingerprint(made_vault.folder)
    with pytest.raises(WrongSecret) as caught:
        vault.unlock_with_recovery(made_vault.folder, other_key)
    assert "does not open this vault" in caught.value.message
    assert fingerprint(made_vault.folder) == before
    # and the same passphrase on both vaults does not make their keys interchangeable
    with pytest.raises(WrongSecret):
        vault.unlock_with_recovery(tmp_path / "other", made_vault.recovery_key)


def test_cli_recover_and_regenerate(made_vault, run_cli):
    """CLI: `recover` (PURPOSE_RECOVERY_KEY, PURPOSE_NEW_PASSPHRASE) resets the passphrase;
    `recovery-key --regenerate --json` prints a new key and the old one then exits 3."""
    ids = _fill(made_vault)
    recovered = run_cli(
        "recover",
        "--json",
        env={
            "PURPOSE_PASSPHRASE": None,
            "PURPOSE_RECOVERY_KEY": made_vault.recovery_key.lower().replace("-", " "),
            "PURPOSE_NEW_PASSPHRASE": NEW_PASSPHRASE,
        },
    )
    assert recovered.code == 0, recovered.err
    assert json.loads(recovered.out) == {"changed": True}
    assert run_cli("show", ids[0]).code == 3  # the old passphrase
    shown = run_cli("show", ids[0], "--json", env={"PURPOSE_PASSPHRASE": NEW_PASSPHRASE})
    assert shown.code == 0 and json.loads(shown.out)["body"] == f"{SECRET_BODY} #0"

    regenerated = run_cli(
        "recovery-key", "--regenerate", "--json", env={"PURPOSE_PASSPHRASE": NEW_PASSPHRASE}
    )
    assert regenerated.code == 0, regenerated.err
    new_key = json.loads(regenerated.out)["recovery_key"]
    assert new_key != made_vault.recovery_key and new_key.count("-") == 13

    stale = run_cli(
        "recover",
        env={"PURPOSE_RECOVERY_KEY": made_vault.recovery_key, "PURPOSE_NEW_PASSPHRASE": "whatever it is"},
    )
    assert stale.code == 3
    assert SECRET_BODY not in stale.err and stale.out == ""
    fresh = run_cli(
        "recover",
        env={"PURPOSE_RECOVERY_KEY": new_key, "PURPOSE_NEW_PASSPHRASE": "a third passphrase"},
    )
    assert fresh.code == 0, fresh.err
    assert run_cli("list", env={"PURPOSE_PASSPHRASE": "a third passphrase"}).code == 0
    typo = run_cli(
        "recover", env={"PURPOSE_RECOVERY_KEY": _typo(new_key, 6), "PURPOSE_NEW_PASSPHRASE": "fourth one!"}
    )
    assert typo.code == 3 and "checksum" in typo.err


# -- passphrase change re-wraps only -----------------------------------------------------------------


def test_passphrase_change_rewraps_only(made_vault):
    """change_passphrase leaves every stored entry byte, the header and the recovery slot identical,
    replaces the passphrase slot (new salt), and then only the new passphrase opens the vault."""
    ids = _fill(made_vault, 5)
    rows_before = entry_rows(made_vault.db)
    slots_before = _slots(made_vault.db)
    header_before = _header(made_vault.db)
    assert len(rows_before) == 5

    with made_vault.open() as opened:
        opened.change_passphrase(NEW_PASSPHRASE, kdf.TEST)

    assert entry_rows(made_vault.db) == rows_before
    assert _header(made_vault.db) == header_before
    slots_after = _slots(made_vault.db)
    assert slots_after["recovery"] == slots_before["recovery"]
    params_before, wrapped_before = slots_before["passphrase"]
    params_after, wrapped_after = slots_after["passphrase"]
    assert wrapped_after != wrapped_before
    assert json.loads(params_after)["salt"] != json.loads(params_before)["salt"]

    with pytest.raises(WrongSecret):
        vault.unlock(made_vault.folder, PASSPHRASE)
    with vault.unlock(made_vault.folder, NEW_PASSPHRASE) as opened:
        assert [opened.get(i).body for i in ids] == [f"{SECRET_BODY} #{n}" for n in range(5)]


def test_passphrase_change_to_new_cost_is_recorded(made_vault):
    """A change to a heavier cost than the default stores it in the slot, and unlock uses it."""
    _fill(made_vault, 1)
    heavier = kdf.KdfParams("check", kdf.DEFAULT.memory_kib, kdf.DEFAULT.time_cost + 1, 1)
    with made_vault.open() as opened:
        opened.change_passphrase(NEW_PASSPHRASE, heavier)
    params = json.loads(_slots(made_vault.db)["passphrase"][0])
    assert (params["memory_kib"], params["time_cost"], params["parallelism"]) == (128 * 1024, 4, 1)
    with vault.unlock(made_vault.folder, NEW_PASSPHRASE) as opened:
        assert opened.key_cost is not None and opened.key_cost.profile == "check" and opened.count() == 1


def test_a_passphrase_typed_in_decomposed_unicode_opens_the_same_vault(vault_dir):
    """'é' as one code point or as e + combining accent is the same passphrase."""
    import unicodedata

    from purpose_app.crypto import kdf as kdf_module
    from purpose_app.services import vault as vault_service

    composed = "café au lait, nuit"
    opened, _key = vault_service.create(vault_dir, composed, kdf_module.TEST)
    opened.lock()
    vault_service.unlock(vault_dir, unicodedata.normalize("NFD", composed)).lock()
