"""Every audit event is written by the gate's named calls, and production code never depends on the demo."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import safeguard

SOURCE = Path(safeguard.__file__).parent
# The demo builds the fictional world; its management commands are the only other modules that may import it.
MAY_IMPORT_DEMO = ("demo/",)
PRIVATE_WRITER = "_write_event"


@functools.cache
def modules() -> tuple[tuple[str, ast.Module], ...]:
    """Every module of the package, parsed once for the three tests that walk them (the trees are only read)."""
    return tuple(
        (path.relative_to(SOURCE).as_posix(), ast.parse(path.read_text(), filename=str(path)))
        for path in sorted(SOURCE.rglob("*.py"))
    )


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def names_used(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.alias):
            yield node.name


def writes_audit_rows(tree: ast.AST) -> bool:
    """Makes an AuditEvent, or creates rows through its manager (reading the audit store is fine)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = ast.unparse(node.func)
        if called == "AuditEvent" or called.startswith("AuditEvent.objects.") and "create" in called:
            return True
    return False


def test_no_module_outside_the_demo_imports_the_demo():
    offenders = [
        path
        for path, tree in modules()
        if not path.startswith(MAY_IMPORT_DEMO)
        and any(m == "safeguard.demo" or m.startswith("safeguard.demo.") for m in imported_modules(tree))
    ]
    assert offenders == []


def test_no_module_outside_access_writes_audit_events_itself():
    offenders = [
        path
        for path, tree in modules()
        if not path.startswith("access/")
        and ({PRIVATE_WRITER, "write_event"} & set(names_used(tree)) or writes_audit_rows(tree))
    ]
    assert offenders == []


def test_the_checks_see_what_they_look_for():
    """The walk finds the demo's own imports and the gate's writer, so an empty answer above means something."""
    found = dict(modules())
    assert any(
        m.startswith("safeguard.demo") for m in imported_modules(found["demo/management/commands/generate_world.py"])
    )
    assert PRIVATE_WRITER in set(names_used(found["access/gate.py"]))
    assert writes_audit_rows(found["access/gate.py"])


def test_the_system_member_of_staff_exists_in_every_database_and_cannot_sign_in(db):
    from safeguard.access.system import SYSTEM_USERNAME
    from safeguard.workforce.models import Staff

    staff = Staff.objects.get(username=SYSTEM_USERNAME)  # made by the access app's data migration
    assert not staff.is_active and not staff.has_usable_password() and staff.roles == []
