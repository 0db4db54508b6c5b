# Wharf's image for teams that build with Docker. `pnpm image` builds the same /app without a
# daemon (scripts/image/build.mjs); both stage it with scripts/image/stage-app.mjs.
#   docker build --build-arg REVISION=$(git rev-parse HEAD) --build-arg SOURCE=$(git remote get-url origin) -t wharf .
#   docker run -e DATABASE_URL=… -e AUTH_SECRET=… -e WHARF_ENCRYPTION_KEY=… wharf web   (or worker, migrate, wait-for-migrations)
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
RUN corepack enable
COPY . .
RUN pnpm install --frozen-lockfile
# The Prisma client is generated code; the URL is not used to generate it.
RUN DATABASE_URL=postgresql://localhost/unused pnpm --filter @wharf/db generate
RUN NEXT_TELEMETRY_DISABLED=1 pnpm exec turbo run build --filter=@wharf/web \
 && node scripts/image/bundle.mjs \
 && node scripts/image/stage-app.mjs /out/app

FROM ${NODE_IMAGE}
ARG REVISION=unknown
# Where the source is published: pass --build-arg SOURCE=$(git remote get-url origin).
ARG SOURCE=
LABEL org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}"
RUN groupadd --gid 10001 wharf && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin wharf
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000
WORKDIR /app
# Owned by root and read-only to the process: it writes nothing into /app.
COPY --from=build /out/app /app
USER 10001
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "/app/bin/wharf.mjs", "healthcheck"]
ENTRYPOINT ["node", "/app/bin/wharf.mjs"]
CMD ["web"]
