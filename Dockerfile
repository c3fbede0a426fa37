# syntax=docker/dockerfile:1
# Product Importer in one image: the web server and the workers in one process (ROLE=all, the
# default), or either alone (ROLE=web behind a load balancer, ROLE=worker for imports and webhooks).
#
#   docker build -t product-importer .
#   docker run --init -p 3000:3000 -e DATABASE_URL=postgres://... -e APP_PASSWORD=... product-importer
#
# NODE_ENV=production: the app refuses to start without APP_PASSWORD unless AUTH_DISABLED=1 says
# that something in front of it controls access; the image sets neither. Without DATABASE_URL it
# runs its embedded Postgres with the data in DATA_DIR (/data, the only directory the app's user
# may write): mount a volume there (-v catalog:/data) and raise Docker's 64 MB /dev/shm, which
# Postgres' parallel workers use (--shm-size=256m). --init reaps any orphaned child process.
# PORT is honoured by the server and by the HEALTHCHECK.
#
# No Docker engine runs on the build machines: `npm run lint:docker` validates this file,
# `npm run check:docker` replays its stages without a container engine (fast), and
# `npm run check:image` builds this file as it is with podman and runs the image: each ROLE, with
# its embedded Postgres on a /data volume and with DATABASE_URL, an import, SIGTERM, a restart.
ARG NODE_VERSION=24
ARG DEBIAN_RELEASE=bookworm

# Everything, dev dependencies included, to build the Remix app into build/ and public/build/.
FROM node:${NODE_VERSION}-${DEBIAN_RELEASE}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY remix.config.js remix.env.d.ts tsconfig.json tsconfig.client.json ./
COPY app ./app
COPY public ./public
COPY server ./server
COPY db ./db
COPY jobs ./jobs
RUN npm run build

# Production dependencies only (tsx included: the server runs its TypeScript through it).
FROM node:${NODE_VERSION}-${DEBIAN_RELEASE}-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-${DEBIAN_RELEASE}-slim AS runtime
ENV NODE_ENV=production \
    LANG=C.UTF-8 \
    HOST=0.0.0.0 \
    PORT=3000 \
    ROLE=all \
    DATA_DIR=/data
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY package.json tsconfig.json main.ts runtime.ts ./
COPY server ./server
COPY db ./db
COPY jobs ./jobs
# The code stays root's and read-only to the app; only the data directory is the app's.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# 200 once the database is reachable, migrations have run and the job queue has started (any ROLE).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "main.ts"]
