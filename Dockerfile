# syntax=docker/dockerfile:1
# One image recipe for every module, built from the repository root (docker-compose.yml passes the arguments):
#   docker build --build-arg MODULE=pdf-service --build-arg PORT=8081 -t apiary/pdf-service .
# MODULE     the module directory (pdf-service, sandbox/providers ...); its jar is named after it (/ -> -)
# PORT       the module's server.port: exposed and health-checked
# JAVA_OPTS  JVM flags added after the module's own (deploy/jvm/<service>.args, sandbox.args for the sandbox parts:
#            the flags every way of running uses); empty by default
# MALLOC_ARENA_MAX  glibc malloc arenas (2, as measured for pdf-service: less native memory); empty = glibc's default
# DATA_DIR   a directory the service writes to (pdf-service: /data/pdf), created for the non-root user
# PACKAGES   extra Debian packages of the module (pdf-service: fonts-noto-core fonts-noto-cjk, the fonts it prints
#            every script with; apiary.pdf.font-dir finds them under /usr/share/fonts)
# UI         "gradebook" builds the gradebook's React UI in its own stage (Vite needs Node >= 20.19, newer than
#            the Maven image's); "none" for every other module
ARG UI=none

FROM node:22-bookworm-slim AS ui-gradebook
WORKDIR /ui
COPY gradebook-service/ui/package.json gradebook-service/ui/package-lock.json ./
RUN npm ci
COPY gradebook-service/ui/ ./
RUN GRADEBOOK_UI_OUT=/ui-dist npm run build

FROM maven:3.9-eclipse-temurin-25 AS ui-none
RUN mkdir /ui-dist

FROM ui-${UI} AS ui

FROM maven:3.9-eclipse-temurin-25 AS build
ARG MODULE
WORKDIR /src
COPY . .
COPY --from=ui /ui-dist /ui-dist
RUN --mount=type=cache,target=/root/.m2 \
    test -n "$MODULE" || { echo "build with --build-arg MODULE=<module dir>" >&2; exit 1; }; \
    if [ -n "$(ls -A /ui-dist)" ]; then \
      mkdir -p gradebook-service/src/main/resources/static/gradebook \
      && cp -r /ui-dist/. gradebook-service/src/main/resources/static/gradebook/; \
    fi \
 && mvn -B -ntp -q -pl "$MODULE" -am -DskipTests -Dgradebook.ui.skip=true package \
 && jar="$MODULE/target/$(echo "$MODULE" | tr / -)" \
 && cp "$(ls "$jar-exec.jar" 2>/dev/null || echo "$jar.jar")" /app.jar \
 && case "$MODULE" in *-service) cp "deploy/jvm/$MODULE.args" /jvm.args ;; *) cp deploy/jvm/sandbox.args /jvm.args ;; esac

FROM eclipse-temurin:25-jre
ARG PORT
ARG DATA_DIR=/data
ARG JAVA_OPTS=""
ARG MALLOC_ARENA_MAX="2"
ARG PACKAGES=""
RUN test -n "$PORT" || { echo "build with --build-arg PORT=<server.port>" >&2; exit 1; }; \
    apt-get update && apt-get install -y --no-install-recommends curl $PACKAGES && rm -rf /var/lib/apt/lists/* \
 && groupadd --system apiary && useradd --system --gid apiary --home-dir /app --shell /usr/sbin/nologin apiary \
 && mkdir -p /app /data "$DATA_DIR" && chown -R apiary:apiary /data "$DATA_DIR"
COPY --from=build /app.jar /app/app.jar
COPY --from=build /jvm.args /app/jvm.args
USER apiary
WORKDIR /app
ENV MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX} JAVA_OPTS="${JAVA_OPTS}" HEALTH_PORT=${PORT}
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 \
  CMD curl -fsS "http://127.0.0.1:${HEALTH_PORT}/actuator/health/readiness" || curl -fsS "http://127.0.0.1:${HEALTH_PORT}/actuator/health" || exit 1
# the module's flags, then JAVA_OPTS (the last of a flag wins), then the container's arguments
ENTRYPOINT ["sh", "-c", "exec java @/app/jvm.args $JAVA_OPTS -jar /app/app.jar \"$@\"", "java"]
