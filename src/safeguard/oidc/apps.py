from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "safeguard.oidc"
    label = "oidc"
    verbose_name = "Sign-in with OpenID Connect"
