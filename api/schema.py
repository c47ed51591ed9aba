"""The OpenAPI schema's grouping: operations under Chinese headings (each view's api_tag)."""

from drf_spectacular.openapi import AutoSchema


class ApiSchema(AutoSchema):
    def get_tags(self) -> list[str]:
        tag = getattr(self.view, "api_tag", None)
        return [tag] if tag else super().get_tags()
