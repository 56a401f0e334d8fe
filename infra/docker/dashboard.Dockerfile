# syntax=docker/dockerfile:1.7
# The dashboard (apps/dashboard, Next.js). Build from the repository root:
#   docker build -f infra/docker/dashboard.Dockerfile -t registry.example.com/ovus/dashboard:0.1.0 .
# The server loads the workspace's API and database libraries (TypeScript) through tsx at run
# time, so every Next process runs with NODE_OPTIONS=--import tsx, from apps/dashboard (tsx is
# one of the dashboard's own dependencies, so it survives the prune of dev dependencies).
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && (cd apps/dashboard && NODE_OPTIONS="--import tsx" npx next build) \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM node:20.19-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
# next start writes its cache under .next at run time.
RUN chown -R node /app/apps/dashboard/.next
ENV NODE_ENV=production PORT=3000 NODE_OPTIONS="--import tsx"
USER node
EXPOSE 3000
WORKDIR /app/apps/dashboard
CMD ["npx", "next", "start", "--port", "3000"]
