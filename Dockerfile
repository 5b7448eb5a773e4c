# Hotline in a container. Build: `docker build -t hotline .`; run with compose.yaml
# (`docker compose up -d`). docs/deploy.md walks through it.
#
# Stage 1 builds the release binary with the pinned toolchain (rust-toolchain.toml says
# 1.95.0; .dockerignore leaves that file out so the image's own 1.95 toolchain is used and
# nothing else is downloaded). Stage 2 is a slim Debian of the same release (same glibc) with
# the binary, CA certificates for Telegram's TLS, and an unprivileged user owning /data.

FROM rust:1.95-bookworm AS builder
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p hotline \
 && install -m 0755 target/release/hotline /hotline

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 hotline \
 && useradd --system --uid 10001 --gid hotline --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin hotline \
 && mkdir /data \
 && chown hotline:hotline /data \
 && chmod 0700 /data
COPY --from=builder /hotline /usr/local/bin/hotline

# The SQLite database and the instance key (secret.key) live in /data: keep it on a volume
# and back it up (docs/deploy.md, "Backups"). The listener must be reachable from outside
# the container; compose.yaml publishes it on the host's loopback only.
ENV HOTLINE_DATA_DIR=/data \
    HOTLINE_LISTEN=0.0.0.0:8080 \
    HOTLINE_LOG_FORMAT=json
VOLUME /data
WORKDIR /data
# Numeric, so that orchestrators can tell it is not root (the user is "hotline").
USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["hotline", "healthcheck"]
ENTRYPOINT ["hotline"]
CMD ["serve"]
