# syntax=docker/dockerfile:1
# One image runs the web server and the workers (ROLE=all), or either alone (ROLE=web / ROLE=worker).
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# npm install, not npm ci: lockfiles written on the build machines miss rollup's optional
# per-platform packages, which `npm ci` refuses; the lockfile still pins every version.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY remix.config.js remix.env.d.ts tsconfig.json ./
COPY app ./app
COPY public ./public
COPY server ./server
COPY db ./db
COPY jobs ./jobs
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY package.json tsconfig.json ./
COPY server ./server
COPY db ./db
COPY jobs ./jobs
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "server/main.ts"]
