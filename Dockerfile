# syntax=docker/dockerfile:1
# One image for every role: `start --role api`, `start --role worker` or `start` (both). See README, "Deploying it".

# Build: the workspace installed and the CLI packed as the npm package mcp-media-engine (our code in one bundle,
# third-party packages named as its dependencies).
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile \
  && mkdir -p /out \
  && pnpm --filter @mcpmediaengine/server pack:cli /out

# Install: the packed CLI with its third-party packages, nothing of the build's tools.
FROM node:20-bookworm-slim AS install
WORKDIR /opt/mcp-media-engine
COPY --from=build /out/ /tmp/pack/
RUN npm install --omit=dev --no-audit --no-fund /tmp/pack/mcp-media-engine-*.tgz

# Run: slim Node, as the unprivileged node user, with its data folder (scratch space, and the assets when no
# object storage is set) as a volume.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8787 MME_DATA_DIR=/var/lib/mcp-media-engine
COPY --from=install /opt/mcp-media-engine /opt/mcp-media-engine
RUN ln -s /opt/mcp-media-engine/node_modules/.bin/mcp-media-engine /usr/local/bin/mcp-media-engine \
  && mkdir -p /var/lib/mcp-media-engine \
  && chown node:node /var/lib/mcp-media-engine
USER node
VOLUME /var/lib/mcp-media-engine
EXPOSE 8787
ENTRYPOINT ["mcp-media-engine"]
CMD ["start", "--role", "all"]
