"""Saves and deletions (admin, services, fixtures) of everything a score is computed from bump the scores
version (pagecache.scores_changed), so that open years' cached pages are rendered anew on every node.

Writes that bypass model signals (`QuerySet.update`, bulk inserts of the imports) call
`scores_changed()` themselves.
"""

from django.db.models.signals import post_delete, post_save

from core.versions import scores_changed

# What the assessment (scoring/services.assess_year, the snapshot, the ranking) reads, plus the rate
# sheets (whose tiers and headline rates are edited next to the policy in the same admin).
SCORE_INPUTS = (
    "publicity.Unit", "publicity.Outlet", "publicity.OutletAlias", "scoring.QuotaLine", "scoring.Quota",
    "publicity.Manuscript", "publicity.Publication",
    "scoring.AssessmentPolicy", "core.YearClose",
    "rewards.RateSheet", "rewards.RateTier", "rewards.HeadlineRate",
)


def _changed(sender, instance=None, created=False, raw=False, **kwargs):
    # A new draft publication or a new manuscript counts for nothing until a status change (which bumps).
    if created and sender._meta.label in {"publicity.Publication", "publicity.Manuscript"} \
            and getattr(instance, "status", "draft") == "draft":
        return
    scores_changed()


def connect() -> None:
    for label in SCORE_INPUTS:
        post_save.connect(_changed, sender=label, dispatch_uid=f"scores-version-save-{label}")
        post_delete.connect(_changed, sender=label, dispatch_uid=f"scores-version-delete-{label}")
