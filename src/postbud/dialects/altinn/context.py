"""What the Altinn dialect's handlers share: the runtime, and the origins its inbox calls come from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from postbud.services.runtime import Runtime


class AltinnApiSettings(BaseSettings):
    """``POSTBUD_ALTINN_CORS_ORIGINS``: a JSON list of the origins browser inboxes call from (the
    real service's ``ArbeidsflateCors`` policy); none by default.

    ``POSTBUD_ALTINN_DOWNLOAD_ALL``: the real service's ``EnableDownloadAll`` flag for C10 (the zip of
    every attachment). On by default, as every Altinn environment runs it; off, C10 answers 404."""

    model_config = SettingsConfigDict(env_prefix="POSTBUD_ALTINN_", extra="ignore")

    cors_origins: list[str] = Field(default_factory=list)
    download_all: bool = True


@dataclass
class AltinnDialect:
    runtime_of: Callable[[], Runtime]

    @property
    def runtime(self) -> Runtime:
        return self.runtime_of()
