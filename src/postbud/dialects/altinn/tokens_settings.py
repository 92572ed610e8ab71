"""Which token issuers besides Postbud's own the Altinn dialect trusts (for production).

``POSTBUD_ALTINN_TRUSTED_ISSUERS`` is a JSON list; each entry names the issuer exactly as its tokens'
``iss`` claim does, where its JWK Set is published, and whether its tokens are Altinn tokens (from
Altinn Authentication's exchange) or Maskinporten tokens::

    POSTBUD_ALTINN_TRUSTED_ISSUERS='[
      {"issuer": "https://platform.tt02.altinn.no/authentication/api/v1/openid/",
       "jwks_url": "https://platform.tt02.altinn.no/authentication/api/v1/openid/.well-known/openid-configuration/jwks",
       "kind": "altinn"},
      {"issuer": "https://test.maskinporten.no/", "jwks_url": "https://test.maskinporten.no/jwk",
       "kind": "maskinporten"}]'

``POSTBUD_ALTINN_JWKS_CACHE_SECONDS`` (default 300) is how long a fetched JWK Set is used before it is
fetched again; a token signed by a key not in the cached set makes it fetch again at once (key
rotation), at most once in 30 seconds.
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from postbud.dialects.altinn.tokens import IssuerKind


class TrustedIssuer(BaseModel):
    issuer: str = Field(min_length=1)
    jwks_url: str = Field(pattern=r"^https?://")
    kind: IssuerKind = IssuerKind.ALTINN


class AltinnTokenSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POSTBUD_ALTINN_", extra="ignore")

    trusted_issuers: list[TrustedIssuer] = Field(default_factory=list)
    jwks_cache_seconds: int = Field(default=300, ge=1)
