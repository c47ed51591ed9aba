"""How the permission matrix fills each URL's arguments from the test world."""

KWARGS = {
    "admin:auth_user_password_change": lambda world: {"id": world["user"].pk},
    "admin:auth_user_reset_link": lambda world: {"user_id": world["user"].pk},
    "admin:publicity_unit_handover": lambda world: {"unit_id": world["unit"].pk},
    "password_reset_confirm": lambda world: {"uidb64": "MQ", "token": "set-password"},
    "scoring:unit": lambda world: {"year": 2011, "unit_id": world["unit"].pk},
    "scoring:objection_lodge": lambda world: {"year": 2011, "unit_id": world["unit"].pk},
    "scoring:unit_pdf": lambda world: {"year": 2011, "unit_id": world["unit"].pk},
    "scoring:objection_answer": lambda world: {"pk": world["objection"].pk},
    **{name: (lambda world: {"pk": world["batch"].pk}) for name in (
        "rewards:batch_detail", "rewards:batch_xlsx", "rewards:batch_units_xlsx", "rewards:batch_confirm",
        "rewards:batch_discard", "rewards:batch_sheet", "rewards:batch_pdf")},
    **{name: (lambda world: {"pk": world["commendation"].pk}) for name in (
        "rewards:commendation_confirm", "rewards:commendation_remove")},
    **{name: (lambda world: {"pk": world["publication"].pk}) for name in (
        "portal:record_detail", "portal:record_edit", "portal:record_submit", "portal:review_approve",
        "portal:review_reject")},
    "portal:reprint_create": lambda world: {"manuscript_pk": world["publication"].manuscript_id},
    "portal:proof": lambda world: {"pk": world["proof"].pk},
    "portal:export": lambda world: {"pk": world["export"].pk},
    "portal:proof_delete": lambda world: {"pk": world["proof"].pk},
    **{name: (lambda world: {"pk": world["contribution"].pk}) for name in (
        "reporting:contribution", "reporting:contribution_scan", "reporting:contribution_publish",
        "reporting:contribution_return")},
    **{name: (lambda world: {"pk": world["report"].pk}) for name in (
        "reporting:report", "reporting:report_export", "reporting:report_attachment")},
    "reporting:report_new": lambda world: {"key": "2011"},
    **{name: (lambda world: {"unit_id": world["unit"].pk}) for name in (
        "reporting:unit_duties", "reporting:duties_print")},
    **{name: (lambda world: {"pk": world["topic"].pk}) for name in (
        "reporting:topic_edit", "reporting:topic_delete")},
    "reporting:plan_document": lambda world: {"pk": world["plan"].pk},
    **{name: (lambda world: {"pk": world["course"].pk}) for name in (
        "reporting:training", "reporting:training_edit", "reporting:training_invite")},
    "api:unit": lambda world: {"pk": world["unit"].pk},
    **{name: (lambda world: {"pk": world["publication"].pk}) for name in (
        "api:record", "api:record_submit", "api:record_proofs", "api:record_approve", "api:record_reject")},
    "api:proof": lambda world: {"pk": world["proof"].pk},
}


def kwargs_for(name: str, world) -> dict:
    build = KWARGS.get(name)
    return build(world) if build else {}
