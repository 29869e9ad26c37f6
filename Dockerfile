# csr-emulator: a self-hosted emulator of Cloudflare's Custom CSR / custom hostname / custom
# certificate APIs.
#
#   docker build -t csr-emulator .
#   docker run --rm -p 8790:8790 -v csr-emulator-data:/data csr-emulator
#
# BASE is the Debian 12 image the build stage starts from. Where no registry is reachable, build a
# local one and pass it: --build-arg BASE=localhost/debian:bookworm (see README.md, section "Docker").
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
        libidn2-dev libunistring-dev \
        doctest-dev libvalijson-dev openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
# Only the server and the self-contained unit tests are built: the end-to-end suites need the
# official clients, which are not in the image.
RUN cmake -S . -B /build -DCSR_EMULATOR_TESTS=ON \
 && cmake --build /build -j2 --target csr-emulator test_crypto test_storage test_api \
 && ctest --test-dir /build -R '^test_(crypto|storage|api)$' --no-tests=error --output-on-failure \
 && install -D -s -m 0755 /build/server/csr-emulator /rootfs/usr/local/bin/csr-emulator

# The runtime's whole file system, gathered here: the binary, exactly the shared libraries it
# links (with the loader; glibc's only: the top-level CMakeLists.txt links the others statically),
# the CA bundle it trusts, and the few files a process expects in /etc.
# glibc 2.36 has the files and dns NSS modules built in, so nothing is loaded later by name.
RUN set -eu; \
    for lib in $(ldd /rootfs/usr/local/bin/csr-emulator | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }'); do \
        cp --parents -L "$lib" /rootfs; \
    done; \
    cp --parents -L /etc/ssl/certs/ca-certificates.crt /rootfs; \
    mkdir -p /rootfs/data /rootfs/tmp; \
    chmod 1777 /rootfs/tmp; \
    chown 10001:10001 /rootfs/data; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\ncsr-emulator:x:10001:10001:csr-emulator:/data:/sbin/nologin\n' > /rootfs/etc/passwd; \
    printf 'root:x:0:\ncsr-emulator:x:10001:\n' > /rootfs/etc/group; \
    printf 'hosts: files dns\n' > /rootfs/etc/nsswitch.conf

# ---------------------------------------------------------------------------------------------
# Runtime stage: nothing but what the binary needs (no shell, no package manager). /etc/hosts and
# /etc/resolv.conf come from the container runtime at run time, as in any image.
FROM scratch AS runtime
COPY --from=build /rootfs/ /
# Fails the build here, not at `docker run`, if a shared library is missing (exec form: no shell).
RUN ["/usr/local/bin/csr-emulator", "--version"]

LABEL org.opencontainers.image.title="csr-emulator" \
      org.opencontainers.image.description="Emulator of Cloudflare's Custom CSR, custom hostname and custom certificate APIs"

# Inside the container the server listens on all interfaces; the database lives in the volume.
ENV CSR_EMULATOR_LISTEN=0.0.0.0:8790 \
    CSR_EMULATOR_DB=/data/csr-emulator.sqlite3 \
    PATH=/usr/local/bin
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
