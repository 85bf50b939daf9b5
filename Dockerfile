# syntax=docker/dockerfile:1
# The headless Sluice host: `sluice serve` (engine + console API) and `sluice worker` (worker pools)
# from one image. Build: `docker build -t sluice .`; run: see docs/deployment.md and docker-compose.yml.
# tests/integration/packaging-docker.test.ts checks the stages, the base image and the non-root user.

# 1. Production dependencies only; better-sqlite3 compiles here for Node 20 (the runtime's Node).
FROM node:20-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
RUN npm ci --omit=dev --ignore-scripts \
 && npm rebuild better-sqlite3

# 2. The build: all dependencies (electron-vite, TypeScript), then out/main (CLI, workers,
#    bundled migrations) and out/renderer (the console served by `sluice serve`).
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

# 3. What runs: no compiler, no dev dependencies, no sources; a non-root user owning only its home.
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    SLUICE_HOME=/var/lib/sluice \
    SLUICE_HOST=0.0.0.0 \
    SLUICE_PORT=7420
WORKDIR /app
RUN groupadd --system --gid 10001 sluice \
 && useradd --system --uid 10001 --gid sluice --home-dir /var/lib/sluice --create-home --shell /usr/sbin/nologin sluice
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/out ./out
COPY --from=build /app/bin ./bin
COPY --from=build /app/migrations ./migrations
COPY --from=build /app/package.json ./package.json
USER sluice
VOLUME ["/var/lib/sluice"]
EXPOSE 7420
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SLUICE_PORT || 7420) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/sluice.js"]
CMD ["serve"]
