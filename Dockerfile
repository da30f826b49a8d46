# The sse-gateway image: the runnable jar on a Java runtime, nothing else.
#
#   mvn -B package -DskipTests
#   podman build --format docker -t sse-gateway .      # docker build -t sse-gateway . works the same
#   podman run --rm -p 8080:8080 --memory 1g --stop-timeout 30 sse-gateway
#
# BASE_IMAGE is any image with java 17 or later on its PATH. Nothing else of it is used: no shell,
# no package manager, no useradd, no curl (the health check is the jar's own probe), so a
# distroless or a company-built JRE image works as well as the default.
ARG BASE_IMAGE=docker.io/library/eclipse-temurin:21-jre
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="sse-gateway" \
      org.opencontainers.image.description="Server-Sent Events gateway"

# Owned by root and read-only to everyone: the process cannot change its own code, and the root
# filesystem can be mounted read-only (the JVM writes only to /tmp).
COPY --chmod=0444 target/sse-gateway.jar jvm/sse-gateway.args /opt/sse-gateway/

# A numeric user needs no entry in the base's /etc/passwd; Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
EXPOSE 8080

# SIGTERM drains: every stream gets server-shutdown with a jittered retry, then the process exits 0.
# Give the stop more time than drain-timeout + shutdown-retry-jitter (10 s + 5 s by default):
# podman/docker run --stop-timeout 30, Compose stop_grace_period, Kubernetes terminationGracePeriodSeconds.
STOPSIGNAL SIGTERM

# Liveness by the gateway's own probe: it reads the same SSE_* settings (and SSE_CONFIG) to find the
# port, so a changed port, a management port (SSE_MANAGEMENT_PORT, asked instead when set) or TLS is
# followed. A small client JVM: about 1 s of CPU and 72 MB for 2 s per check.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-Xss256k", "-XX:-UsePerfData", \
       "-jar", "/opt/sse-gateway/sse-gateway.jar", "probe"]

# After it starts, the node runs its stream paths on a throwaway loopback node and /ready answers 503
# meanwhile (README, "Warm-up"): about 15 s on two cores, so that the traffic a balancer then sends
# meets compiled code. SSE_WARM_UP=false is ready at once.
ENV SSE_WARM_UP=true

# The production JVM profile: the heap is half of the container's memory limit (the JVM reads the
# cgroup limit, not the host's memory). Add JVM flags with JDK_JAVA_OPTIONS; gateway settings with
# SSE_* variables, a config file with SSE_CONFIG=/path (mount it read-only), or flags after the image name.
ENTRYPOINT ["java", "@/opt/sse-gateway/sse-gateway.args", "-jar", "/opt/sse-gateway/sse-gateway.jar"]
