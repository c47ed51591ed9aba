"""Background work of the scoring app (Django's Tasks API; inline unless a worker is configured)."""

from django_tasks import task


@task()
def closed_year_pages_render(year: int) -> list[str]:
    """Render a just-closed year's dashboard and bulletin into the shared cache, so that no reader waits
    for them; nothing when the year was reopened in the meantime. Returns the pages rendered."""
    from scoring import pagecache, pages, services  # pages → services → this module

    state = services.year_state(year)
    rendered = []
    for page in pages.RENDERERS:
        if pagecache.closed_year_key(state, page) is not None:
            pages.page_html(page, year, state)
            rendered.append(page)
    return rendered
