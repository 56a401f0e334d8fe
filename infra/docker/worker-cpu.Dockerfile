# syntax=docker/dockerfile:1.7
# CPU sweep worker: the wasm backend (ships inside npm, no download), one training process per
# core (--concurrency). Also used by the migration Job. Build from the repository root:
#   docker build -f infra/docker/worker-cpu.Dockerfile -t registry.example.com/ovus/worker-cpu:0.1.0 .
# With --build-arg TFJS_NODE=1 it adds native TensorFlow for CPU (@tensorflow/tfjs-node), which
# uses all cores in one process: then run --concurrency 1 --backend tensorflow.
FROM node:20.19-bookworm-slim

ARG TFJS_NODE=0
WORKDIR /app
COPY . .
# The full install generates the Prisma client (libs/db/src/generated) with the prisma CLI, a dev
# dependency; then the dev dependencies go (tsx, which runs the TypeScript source, is a dependency
# of @ovus/trainer). All in one layer, so no dev package stays in the image.
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && if [ "$TFJS_NODE" = "1" ]; then npm install --no-save --omit=dev --no-audit --no-fund @tensorflow/tfjs-node@4.22.0; fi \
 && npm cache clean --force

ENV NODE_ENV=production \
    OVUS_DATA_DIR=/var/lib/ovus
RUN mkdir -p /var/lib/ovus && chown node /var/lib/ovus
USER node
ENTRYPOINT ["node", "--import", "tsx", "apps/trainer/src/main.ts"]
CMD ["worker", "--backend", "wasm"]
