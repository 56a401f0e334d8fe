# syntax=docker/dockerfile:1.7
# GPU sweep worker: the ovus workspace on a CUDA image, with native TensorFlow for tfjs
# (@tensorflow/tfjs-node-gpu). ml/engine picks it up at run time (backend 'tensorflow') and
# records it on every run. Build from the repository root:
#   docker build -f infra/docker/worker.Dockerfile -t registry.example.com/ovus/worker-gpu:0.1.0 .
#
# tfjs-node-gpu 4.22 links libtensorflow 2.9 (built for CUDA 11.2 / cuDNN 8.1); the CUDA 11.8 +
# cuDNN 8 runtime serves it through CUDA's minor-version compatibility. The node needs an NVIDIA
# driver ≥ 520 and the NVIDIA device plugin (nvidia.com/gpu resources).
# Its install downloads libtensorflow from storage.googleapis.com: build where that is reachable.

FROM node:20.19-bookworm-slim AS node

FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04
# Node from the official image (same glibc family) rather than a third-party apt repository.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s /usr/local/lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
# The full install generates the Prisma client (libs/db/src/generated) with the prisma CLI, a dev
# dependency; then the dev dependencies go (tsx, which runs the TypeScript source, is a dependency
# of @ovus/trainer). All in one layer, so no dev package stays in the image.
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm install --no-save --omit=dev --no-audit --no-fund @tensorflow/tfjs-node-gpu@4.22.0 \
 && npm cache clean --force

ENV NODE_ENV=production \
    TF_CPP_MIN_LOG_LEVEL=1 \
    OVUS_DATA_DIR=/var/lib/ovus
# An unprivileged user (the CUDA image has none besides root).
RUN useradd --create-home --uid 1000 ovus && mkdir -p /var/lib/ovus && chown ovus /var/lib/ovus
USER ovus
ENTRYPOINT ["node", "--import", "tsx", "apps/trainer/src/main.ts"]
CMD ["worker", "--concurrency", "1", "--backend", "tensorflow"]
