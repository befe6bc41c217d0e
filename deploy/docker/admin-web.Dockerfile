# syntax=docker/dockerfile:1
# admin-web — the admin app: Next.js Backend-for-Frontend. Build from the repository root:
#   docker build -f deploy/docker/admin-web.Dockerfile -t bff-auth/admin-web .
# Next.js standalone output: server.js plus only the node_modules its code traces.

ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: dependencies from the lock, then `next build` with output: 'standalone' --------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 \
    NEXT_OUTPUT=standalone
RUN npm ci --no-audit --no-fund \
 && npm run build -w @bff-auth/admin-web

# --- runtime: non-root, the standalone server only ---------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3003
WORKDIR /app
COPY --from=build /app/apps/admin-web/.next/standalone ./
COPY --from=build /app/apps/admin-web/.next/static ./apps/admin-web/.next/static
# Next's cache folder (fetch cache, optimised images) must be writable by the server.
RUN mkdir -p /app/apps/admin-web/.next/cache && chown node:node /app/apps/admin-web/.next/cache
USER node
EXPOSE 3003
# Liveness only (GET /api/health); orchestrators probe /api/ready for traffic (see deploy/README.md).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3003/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: event streams end with a retry hint, Next finishes in-flight requests and exits (SPEC §7).
STOPSIGNAL SIGTERM
CMD ["node", "apps/admin-web/server.js"]
