# syntax=docker/dockerfile:1
# One image for the gateway, the five subgraphs, the outbox relays, the workers, the storefront
# and the migrate and seed jobs, built in two stages:
#   build    the full install (dev dependencies included), `npm run generate` (Prisma clients,
#            GraphQL and route types), `npm run build` (every service bundled to <app>/dist with
#            esbuild, the storefront to storefront/build), then scripts/stage-runtime.ts copies out
#            what the runtime needs (the list: scripts/lib/runtime-files.ts);
#   runtime  production dependencies only, the built files, plain node: no TypeScript loader,
#            no compiler, no test tools.
#
#   docker build -t tackle-shop-app:local .
#   docker run --rm -e APP=subgraphs/catalog -e DATABASE_URL=... -e INTERNAL_AUTH_SECRET=... tackle-shop-app:local
#
# APP names the workspace whose dist/main.js runs (gateway, subgraphs/<name>); the relays,
# workers, storefront and jobs set their command in docker-compose.yml. Not built on the
# development machines (they have no Docker engine): test/production-build.int.test.ts stages
# the same runtime files with the same code and runs the built services from them.
FROM node:20-bookworm-slim AS base
# The repo pins npm 11 (packageManager), whose allowScripts policy decides which install
# scripts run; npm 10 from the base image would ignore it.
RUN npm install -g npm@11.19.1 --no-audit --no-fund --loglevel=error
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

FROM base AS build
# Workspaces are spread over many folders; copying the tree (minus .dockerignore) is simpler
# than listing every package.json, at the cost of a less reusable layer.
COPY . .
RUN npm install --include=dev --no-audit --no-fund --loglevel=error \
 && npm run generate \
 && npm run build \
 && node_modules/.bin/tsx scripts/stage-runtime.ts /runtime

FROM base AS runtime
ENV NODE_ENV=production
# The manifests first, so the dependency layer is reused while only code changes.
COPY --from=build /runtime/manifests/ ./
# Only the workspaces that run here (runtime-workspaces: those with a build) and what they
# depend on. `npm install` rather than `npm ci`: the staged manifests have no devDependencies
# (see productionManifest in scripts/lib/runtime-files.ts), so they no longer match the lock to
# the letter; install keeps the lock's versions of everything that remains.
RUN npm install --omit=dev --no-audit --no-fund --loglevel=error \
      $(sed 's/^/--workspace=/' runtime-workspaces) \
 && rm runtime-workspaces \
 && npm cache clean --force
COPY --from=build /runtime/app/ ./

USER node
ENV APP=gateway
# Ports: storefront 3000, gateway 4000, subgraphs 4001-4005 (set by each service's config).
EXPOSE 3000 4000 4001 4002 4003 4004 4005
# The tracing preload must load before the service's modules; it does nothing with tracing off.
CMD ["sh", "-c", "exec node --enable-source-maps --import=/app/packages/tracing/dist/preload.js \"$APP/dist/main.js\""]
