# syntax=docker/dockerfile:1
# auth-service — OpenID provider (oidc-provider) and the internal user API. Build from the repository root:
#   docker build -f deploy/docker/auth-service.Dockerfile -t bff-auth/auth-service .
# Runs the TypeScript source through tsx, exactly as `npm start` does, so the runtime image keeps the
# workspace's node_modules as `npm ci` installed them from the lock.

ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: dependencies from the lock, nothing else -------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && npx tsc --noEmit -p apps/auth-service

# --- runtime: non-root, no build tools, the service's folder as working directory ---------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8002
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/tooling ./tooling
COPY --from=build /app/apps/auth-service ./apps/auth-service
# PGlite's folder when DATABASE_URL is unset (a single-container trial); writable by the service only.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
WORKDIR /app/apps/auth-service
EXPOSE 8002
# Liveness only (GET /health); orchestrators probe /ready for traffic (see deploy/README.md).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8002/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains (SPEC §7): /ready 503, in-flight requests finish, exit within 10 s.
STOPSIGNAL SIGTERM
# One Node process (tsx as a loader, not as a parent process), so SIGTERM reaches the service itself.
CMD ["node", "--import", "tsx", "src/main.ts"]
