# syntax=docker/dockerfile:1
# One image for the gateway, the five subgraphs, the workers and the storefront; APP names the
# workspace to run (its src/main.ts), so docker-compose can reuse the image for every
# application service (the storefront runs its production build: node storefront/build/main.js):
#
#   docker build -t shop-app .
#   docker run --rm -e APP=subgraphs/catalog shop-app
#
# Not built on the development machines (no Docker engine there): review before relying on it.
FROM node:20-bookworm-slim

# The repo pins npm 11 (packageManager), whose allowScripts policy decides which
# install scripts run; npm 10 from the base image would ignore it.
RUN npm install -g npm@11.19.1 --no-audit --no-fund --loglevel=error

WORKDIR /app
ENV NODE_ENV=production

# Workspaces are spread over many folders; copying the tree (minus .dockerignore)
# is simpler than listing every package.json, at the cost of a less reusable layer.
COPY . .
# Dev dependencies stay: the services run TypeScript through tsx.
RUN npm install --include=dev --no-audit --no-fund --loglevel=error \
 && npm run generate \
 && npm run build -w storefront

USER node
ENV APP=gateway
# Ports: storefront 3000, gateway 4000, subgraphs 4001-4005 (set by each service's config).
EXPOSE 3000 4000 4001 4002 4003 4004 4005
CMD ["sh", "-c", "exec node_modules/.bin/tsx \"$APP/src/main.ts\""]
