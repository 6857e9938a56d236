"""The test provider's URL conf, sign-in page and scripted ID tokens (see provider.py).

Each provider user carries a script: the `amr`/`acr` the provider asserts for
them, and, to test the relying party's checks, a misbehaviour: `forged`
(signed with another key than the published one), `audience` (issued to
another client) or `expired`.
"""

from __future__ import annotations

import base64
import time

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.oauth2_validators import OAuth2Validator


def _script(request) -> dict:
    return settings.PROVIDER_USERS.get(request.user.get_username(), {})


class ScriptedValidator(OAuth2Validator):
    oidc_claim_scope = None  # put amr/acr in the ID token whatever the scopes

    def get_additional_claims(self, request):
        script = _script(request)
        return {name: script[name] for name in ("amr", "acr") if name in script}

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if _script(request).get("expired"):
            claims["exp"] = int(time.time()) - 600
        return claims, expiration_time

    def finalize_id_token(self, id_token, token, token_handler, request):
        script = _script(request)
        if script.get("audience"):
            id_token["aud"] = script["audience"]
        if script.get("expired"):
            id_token["iat"] = int(time.time()) - 4200
        if script.get("nonce"):
            id_token["nonce"] = script["nonce"]  # a nonce from another sign-in, replayed
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        if script.get("forged"):
            serialized = _signed_with_forger_key(serialized)
        return serialized


def _signed_with_forger_key(serialized: str) -> str:
    """The same header (and `kid`) and claims, signed with a key the provider never published."""
    from jwcrypto import jwk, jwt

    header_b64, payload_b64, _ = serialized.split(".")

    def decode(part: str) -> str:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()

    forged = jwt.JWT(header=decode(header_b64), claims=decode(payload_b64))
    forged.make_signed_token(jwk.JWK.from_pem(settings.PROVIDER_FORGER_KEY.encode()))
    return forged.serialize()


@csrf_exempt
def sign_in(request):
    """The provider's own sign-in: a username and password, then back to the authorisation request."""
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
        next_url = request.GET.get("next", "/")
        if user is not None and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            login(request, user)
            return HttpResponseRedirect(next_url)
        return HttpResponse("Wrong username or password", status=403)
    return HttpResponse('<form method="post"><input name="username"><input name="password" type="password"></form>')


urlpatterns = [
    path("login/", sign_in),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
