"""The SQLite triggers that keep a leerbaan's vestiging at its leerbedrijf (``0005``), for the
migrations that must drop them before SQLite rebuilds ``leerbedrijven_leerbaan`` or
``leerbedrijven_vestiging`` and create them again afterwards. (A module whose name starts with
``_`` is not a migration.)"""

FK_NAME = "leerbaan_vestiging_of_leerbedrijf"
_ABORT = f"SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: {FK_NAME}');"
_MISMATCH = (
    "(SELECT leerbedrijf_id FROM leerbedrijven_vestiging WHERE id = NEW.vestiging_id) "
    "IS NOT NEW.leerbedrijf_id"
)
SQLITE_TRIGGERS = {
    f"{FK_NAME}_insert": (
        f"BEFORE INSERT ON leerbedrijven_leerbaan FOR EACH ROW WHEN {_MISMATCH} "
        f"BEGIN {_ABORT} END"
    ),
    f"{FK_NAME}_update": (
        "BEFORE UPDATE OF vestiging_id, leerbedrijf_id ON leerbedrijven_leerbaan "
        f"FOR EACH ROW WHEN {_MISMATCH} BEGIN {_ABORT} END"
    ),
    f"{FK_NAME}_vestiging": (
        "BEFORE UPDATE OF leerbedrijf_id ON leerbedrijven_vestiging FOR EACH ROW WHEN EXISTS "
        "(SELECT 1 FROM leerbedrijven_leerbaan WHERE vestiging_id = NEW.id "
        f"AND leerbedrijf_id IS NOT NEW.leerbedrijf_id) BEGIN {_ABORT} END"
    ),
}


def triggers_create(schema_editor) -> None:
    """Create (again) the SQLite triggers that keep a leerbaan's vestiging at its leerbedrijf."""
    for name, body in SQLITE_TRIGGERS.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(f"CREATE TRIGGER {name} {body}")


def triggers_drop(schema_editor) -> None:
    """Drop the triggers (a no-op where they do not exist)."""
    for name in SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
