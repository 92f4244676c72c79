# Three stages: production dependencies (better-sqlite3 compiled here), the build (type check, then the esbuild bundle
# of scripts/bundle.js), and the runtime image (the bundle, production node_modules for what stays outside it, the
# playground page), run as the unprivileged `node` user.
# test/e2e/runtime-image.test.ts rebuilds the runtime stage from this file's COPY, RUN, ENV, USER and CMD lines:
# keep them literal (no ARG substitutions), and teach that test any new kind of RUN.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The compiler needs types only, esbuild its platform binary (an optional dependency, no install script): no native
# build in this stage.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.js ./scripts/
COPY src ./src
COPY handlers ./handlers
RUN npx tsc --noEmit -p tsconfig.build.json && node scripts/bundle.js

FROM node:24-bookworm-slim AS runtime
# Production: Lookout never falls back to the playground here; LOOKOUT_PLAYGROUND=1 asks for it (on 0.0.0.0).
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# The bundle (docs/performance.md, start time): Lookout's code and most of its dependencies in one file.
COPY --from=build /app/dist/lookout.js /app/dist/lookout.bundle.js ./dist/
COPY package.json manifest.yml ./
COPY scripts/start.js scripts/ensure-built.js ./scripts/
COPY assets ./assets
# No build copies the playground's static files; the server looks for them here (src/playground/server.ts).
COPY src/playground/page ./dist/src/playground/page
# /data is the volume for the SQLite store: the default DATABASE_URL, sqlite:./data/lookout.db, lands there through
# /app/data, and the playground keeps its sandbox state apart in /data/playground.db. lookout.yml is mounted
# read-only, e.g. at /config/lookout.yml with LOOKOUT_CONFIG=/config/lookout.yml (docs/deploy.md).
RUN mkdir -p /data && chown node:node /data && ln -s /data /app/data
USER node
# Node's compile cache for the bundle (docs/performance.md, changes 23 and 25), written here by loading it as the user
# that runs it (Node writes the cache at exit; nothing starts): a container's first start reads compiled code.
RUN node -e "require('./dist/lookout.js')"
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The same entry as `npm start`, without npm in between (signals reach node directly).
CMD ["node", "scripts/start.js"]
