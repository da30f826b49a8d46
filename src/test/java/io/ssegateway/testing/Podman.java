package io.ssegateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Podman as these machines can run it: the runc runtime and explicit open-file and process limits
 * (crun, and raising limits, fail in this sandbox). No image registry is reachable, so base images
 * are built from Debian's packages with mmdebstrap and imported, once per machine.
 */
public final class Podman {
    /** A Java runtime and nothing the gateway's image may rely on but {@code java}. */
    public static final String JRE_BASE = "localhost/sse-test-jre17:bookworm";
    /** Stand-in for the public redis and nginx images in Compose: Debian's packages of both. */
    public static final String SERVICES_BASE = "localhost/sse-test-services:bookworm";

    /**
     * {@link #JRE_BASE} without a shell, as distroless JRE images are: the gateway's image must need
     * nothing of its base but {@code java}.
     */
    public static final String JRE_BASE_WITHOUT_SHELL = "localhost/sse-test-jre17-noshell:bookworm";
    /** The gateway's image as the top-level Dockerfile builds it, on {@link #JRE_BASE_WITHOUT_SHELL}. */
    public static final String GATEWAY = "localhost/sse-gateway:it";
    private static boolean gatewayBuilt;

    private Podman() {
    }

    /**
     * Builds {@link #GATEWAY} from the Dockerfile and the packaged jar, once per test JVM, with the
     * JRE base as {@code BASE_IMAGE}; prints the sizes.
     */
    public static synchronized String gatewayImage() throws IOException, InterruptedException {
        if (!gatewayBuilt) {
            String base = withoutShell(debianImage(JRE_BASE, "openjdk-17-jre-headless,ca-certificates"));
            // The last run's image goes first: rebuilt under the same name, it would stay behind untagged.
            ran(Duration.ofMinutes(1), "rmi", "--force", GATEWAY);
            run(Duration.ofMinutes(5), "build", "--format", "docker", "--build-arg", "BASE_IMAGE=" + base, "-t", GATEWAY, ".");
            System.out.println("image " + GATEWAY + ": " + run(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Size}}", GATEWAY).strip()
                + " bytes; its base " + base + ": " + run(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Size}}", base).strip() + " bytes");
            gatewayBuilt = true;
        }
        return GATEWAY;
    }

    /** {@code podman --runtime runc ARGS…}, which must exit 0 within {@code timeout}; returns its output. */
    public static String run(Duration timeout, String... args) throws IOException, InterruptedException {
        Processes.Ran ran = ran(timeout, args);
        assertEquals(0, ran.exit(), "podman " + String.join(" ", args) + ":\n" + ran.output());
        return ran.output();
    }

    /** {@code podman --runtime runc ARGS…} to its end, whatever its exit code. */
    public static Processes.Ran ran(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc"));
        command.addAll(List.of(args));
        return Processes.run(command, timeout);
    }

    /** The limits every container of the tests runs with, as a user's 20,000 open-file hard limit. */
    public static List<String> limits() {
        return List.of("--ulimit", "nofile=20000:20000", "--ulimit", "nproc=4096:4096");
    }

    /** {@code base} with its shells removed, as {@link #JRE_BASE_WITHOUT_SHELL}; proves they are gone. */
    private static String withoutShell(String base) throws IOException, InterruptedException {
        Path context = Files.createTempDirectory("noshell");
        Files.writeString(context.resolve("Containerfile"), "FROM " + base + "\n"
            + "RUN [\"/bin/rm\", \"-f\", \"/bin/sh\", \"/bin/bash\", \"/bin/dash\", \"/bin/rbash\"]\n");
        ran(Duration.ofMinutes(1), "rmi", "--force", JRE_BASE_WITHOUT_SHELL);
        List<String> build = new ArrayList<>(List.of("build", "--format", "docker"));
        build.addAll(limits());
        build.addAll(List.of("-t", JRE_BASE_WITHOUT_SHELL, context.toString()));
        run(Duration.ofMinutes(5), build.toArray(String[]::new));
        List<String> shell = new ArrayList<>(List.of("run", "--rm"));
        shell.addAll(limits());
        shell.addAll(List.of("--entrypoint", "/bin/sh", JRE_BASE_WITHOUT_SHELL, "-c", "true"));
        assertNotEquals(0, ran(Duration.ofMinutes(1), shell.toArray(String[]::new)).exit(), "the base has no shell");
        return JRE_BASE_WITHOUT_SHELL;
    }

    /** Builds {@code image} from Debian bookworm with {@code packages} unless it exists; returns its name. */
    public static String debianImage(String image, String packages) throws IOException, InterruptedException {
        if (ran(Duration.ofSeconds(30), "image", "exists", image).exit() == 0) {
            return image;
        }
        Path tar = Files.createTempFile("sse-test-base", ".tar");
        try {
            Processes.Ran made = Processes.run(List.of("mmdebstrap", "--variant=apt", "--include=" + packages, "bookworm",
                tar.toString()), Duration.ofMinutes(10));
            assertEquals(0, made.exit(), made.output());
            run(Duration.ofMinutes(5), "import", tar.toString(), image);
        } finally {
            Files.deleteIfExists(tar);
        }
        return image;
    }

    /** Removes container {@code name} if it exists, running or not. */
    public static void remove(String name) throws IOException, InterruptedException {
        ran(Duration.ofMinutes(1), "rm", "--force", "--time", "0", name);
    }
}
