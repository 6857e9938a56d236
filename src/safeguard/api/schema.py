"""The OpenAPI schema: every status code an operation can answer is documented.

drf-spectacular documents what each view declares; this adds, where the view
did not, the answers every operation shares:

- 400: a query parameter unknown or badly valued (every operation), or a bad body;
- 403: not signed in with both factors, or a change without the CSRF token;
- 404: the record in the path does not exist or may not be seen;
- 409: a PATCH whose `version` is stale (where the record has a version);
- 429: too many requests (DRF throttles, safeguard.api.throttles).

`version_required_in_patches` (a post-processing hook) marks `version`
required in every PATCH body that has one: the API refuses a change without it.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from . import problems


class SafeguardAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        shared = {
            "400": problems.bad_input(query=True, body=self.method in ("POST", "PUT", "PATCH")),
            "403": problems.NOT_SIGNED_IN,
            "429": problems.TOO_MANY,
        }
        if "{" in self.path:
            shared["404"] = problems.NOT_FOUND
        if self.method == "PATCH" and self._has_version():
            shared["409"] = problems.CONFLICT
        for code, response in shared.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return dict(sorted(responses.items()))

    def _has_version(self) -> bool:
        serializer = self.get_request_serializer()
        if isinstance(serializer, type):
            serializer = serializer()
        fields = getattr(serializer, "fields", {})
        return "version" in fields and not fields["version"].read_only


def version_required_in_patches(result, generator, request, public):
    """In each PATCH body with a writable `version`, mark `version` required (the API answers 400 without it)."""
    schemas = result.get("components", {}).get("schemas", {})
    for path in result.get("paths", {}).values():
        patch = path.get("patch")
        if not patch:
            continue
        for content in patch.get("requestBody", {}).get("content", {}).values():
            ref = content.get("schema", {}).get("$ref", "")
            component = schemas.get(ref.rsplit("/", 1)[-1])
            if not component:
                continue
            version = component.get("properties", {}).get("version")
            if version and not version.get("readOnly"):
                required = component.setdefault("required", [])
                if "version" not in required:
                    required.append("version")
                patch["requestBody"]["required"] = True
    return result
