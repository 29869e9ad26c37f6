# csr-emulator: a self-hosted emulator of Cloudflare's Custom CSR / custom hostname / custom
# certificate APIs.
#
#   docker build -t csr-emulator .
#   docker run --rm -p 8790:8790 -v csr-emulator-data:/data csr-emulator
#
# BASE is the Debian 12 image both stages start from. Where no registry is reachable, build a local
# one and pass it: --build-arg BASE=localhost/debian:bookworm (see README.md, section "Docker").
ARG BASE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------
# Build stage: compile, then run the unit tests that need nothing outside the image (the crypto
# tests check keys and CSRs with the openssl command and read the system CA bundle).
FROM ${BASE} AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        build-essential cmake pkg-config \
        libboost1.81-dev nlohmann-json3-dev libssl-dev libsqlite3-dev libpsl-dev libc-ares-dev \
        doctest-dev libvalijson-dev openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
# Only the server and the self-contained unit tests are built: the end-to-end suites need the
# contract file and the official clients, which are not in the image.
RUN cmake -S . -B /build -DCSR_EMULATOR_TESTS=ON \
 && cmake --build /build -j2 --target csr-emulator test_crypto test_storage test_api \
 && ctest --test-dir /build -R '^test_(crypto|storage|api)$' --no-tests=error --output-on-failure \
 && install -D -s -m 0755 /build/server/csr-emulator /out/csr-emulator

# ---------------------------------------------------------------------------------------------
# Runtime stage: the binary, the shared libraries it links and the CA bundle it trusts.
FROM ${BASE} AS runtime
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl3 libsqlite3-0 libpsl5 libc-ares2 ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && groupadd --system --gid 10001 csr-emulator \
 && useradd --system --uid 10001 --gid csr-emulator --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin csr-emulator \
 && mkdir -p /data \
 && chown csr-emulator:csr-emulator /data

COPY --from=build /out/csr-emulator /usr/local/bin/csr-emulator
# Fails the build here, not at `docker run`, if a shared library is missing.
RUN csr-emulator --version

LABEL org.opencontainers.image.title="csr-emulator" \
      org.opencontainers.image.description="Emulator of Cloudflare's Custom CSR, custom hostname and custom certificate APIs"

# Inside the container the server listens on all interfaces; the database lives in the volume.
ENV CSR_EMULATOR_LISTEN=0.0.0.0:8790 \
    CSR_EMULATOR_DB=/data/csr-emulator.sqlite3
USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8790
# The server drains open connections on SIGTERM and exits 0.
STOPSIGNAL SIGTERM
# `csr-emulator healthcheck` probes GET /_emulator/health at CSR_EMULATOR_LISTEN: no curl needed.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["csr-emulator", "healthcheck"]
ENTRYPOINT ["csr-emulator"]
