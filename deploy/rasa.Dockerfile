# Rasa 3.6 (Python 3.10) serving the trained Navigator bot: `rasa run --enable-api` on 5005.
#
# Build from the repository root, after `make train` has written the trained model
# bot/models/navigator.tar.gz (the image carries the model; it never trains):
#
#   make train
#   docker build -f deploy/rasa.Dockerfile -t navigator-rasa:0.1.0 .
#
# Another model file: --build-arg MODEL=path/inside/the/context.tar.gz.
# At run time Rasa reads deploy/endpoints.yml (copied in below): PostgreSQL tracker store,
# Redis lock store and the action server, from the variables listed there. The image holds
# no secret; passwords come from the container's environment.
# Never publish port 5005 outside a private network: --enable-api serves Rasa's whole HTTP
# API (trackers, model) without a token. The load balancer (deploy/haproxy.cfg) fronts it.

FROM python:3.10-slim AS build
# The same installer pins as the Makefile's .venv-rasa (one of Rasa 3.6's dependencies
# still imports pkg_resources while it installs, hence setuptools below 70).
COPY bot/requirements.txt /tmp/requirements.txt
RUN python -m venv /opt/rasa \
    && /opt/rasa/bin/pip install --no-cache-dir --upgrade pip==26.3 "setuptools<70" wheel==0.45.1 \
    && /opt/rasa/bin/pip install --no-cache-dir -r /tmp/requirements.txt

FROM python:3.10-slim
ARG MODEL=bot/models/navigator.tar.gz
# One TensorFlow/OpenMP thread per process, one Sanic worker per container: scale with
# replicas (SANIC_WORKERS > 1 also works: the lock store is Redis, shared by all).
ENV PATH=/opt/rasa/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HOME=/home/rasa \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=3 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    TF_INTRA_OP_PARALLELISM_THREADS=1 \
    TF_INTER_OP_PARALLELISM_THREADS=1 \
    OMP_NUM_THREADS=1 \
    SANIC_WORKERS=1
RUN groupadd --system --gid 10001 rasa \
    && useradd --system --uid 10001 --gid rasa --create-home --home-dir /home/rasa \
        --shell /usr/sbin/nologin rasa
COPY --from=build /opt/rasa /opt/rasa
# Rasa runs in bot/ as `navigator serve` runs it: the model names its custom components
# (components.*), stores and connectors by module path relative to this folder.
WORKDIR /app/bot
COPY bot/config.yml bot/domain.yml bot/credentials.yml ./
COPY bot/data ./data
COPY bot/components ./components
COPY bot/stores ./stores
COPY bot/connectors ./connectors
COPY deploy/endpoints.yml ./endpoints.yml
COPY ${MODEL} ./models/navigator.tar.gz
USER 10001:10001
EXPOSE 5005
# Loading the model takes about a minute on two cores: hence the long start period.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/status', timeout=4)"]
ENTRYPOINT ["rasa"]
CMD ["run", "--enable-api", "-i", "0.0.0.0", "-p", "5005", "--credentials", "credentials.yml", "--endpoints", "endpoints.yml", "--model", "models/navigator.tar.gz"]
