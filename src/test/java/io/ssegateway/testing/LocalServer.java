package io.ssegateway.testing;

import java.util.concurrent.TimeUnit;

/** A server process of a test's own (redis-server, nats-server), ended by its PID only. */
public abstract class LocalServer implements AutoCloseable {
    protected Process process;

    /** Starts the process (again, on the same port and store) and waits until it accepts connections. */
    public abstract void startProcess() throws Exception;

    public abstract int port();

    /** Kills the server with SIGKILL, as a crash would. */
    public void kill() throws Exception {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    /** Stops the server (SIGTERM, then SIGKILL) and waits for it. */
    public void stopProcess() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends the process a signal (STOP, CONT) by its PID. */
    public void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() throws Exception {
        stopProcess();
    }
}
