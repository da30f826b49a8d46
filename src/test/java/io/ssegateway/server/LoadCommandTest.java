package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code load --resume} is for HTTP/2 streams; over HTTP/1.1 the storm command is the EventSource client. */
class LoadCommandTest {
    @Test
    void resumeWithoutHttp2IsAUsageErrorNamingTheStormCommand() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new LoadCommand()).setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--url", "http://127.0.0.1:9/events?topic=t", "--resume"));
        assertTrue(err.toString().contains("--resume needs --h2-streams-per-connection") && err.toString().contains("storm"),
            err.toString());
    }
}
