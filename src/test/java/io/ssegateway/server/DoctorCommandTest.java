package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 13, point 5: what the doctor cannot read is a message and exit 2, never a stack trace. */
class DoctorCommandTest {
    @Test
    void aFileThatDoesNotExistIsAMessageNotAStackTrace() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, new CommandLine(new DoctorCommand()).execute("--streams", "10", "--nginx", "/no/such/nginx.conf"));
            assertEquals(2, new CommandLine(new DoctorCommand()).execute("--streams", "10", "--haproxy", "/no/such/haproxy.cfg"));
        } finally {
            System.setErr(original);
        }
        String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("doctor: no such file: /no/such/nginx.conf"), printed);
        assertTrue(printed.contains("doctor: no such file: /no/such/haproxy.cfg"), printed);
        assertTrue(!printed.contains("\tat "), printed);
    }

    /** Issue 21, point 7: the doctor takes the heartbeat as the gateway does (--heartbeat 25s), and says what a bad one is. */
    @Test
    void theHeartbeatIsGivenAsTheGatewayTakesIt() throws Exception {
        java.nio.file.Path conf = java.nio.file.Files.createTempFile(java.nio.file.Path.of("target"), "nginx", ".conf");
        java.nio.file.Files.writeString(conf, "http { server { location /events { proxy_read_timeout 20s; } } }\n");
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            new CommandLine(new DoctorCommand()).execute("--streams", "1", "--nginx", conf.toString(), "--heartbeat", "15s");
            String fifteen = out.toString(StandardCharsets.UTF_8);
            out.reset();
            new CommandLine(new DoctorCommand()).execute("--streams", "1", "--nginx", conf.toString(), "--heartbeat", "1m");
            String minute = out.toString(StandardCharsets.UTF_8);
            assertTrue(fifteen.contains("PASS nginx read timeout") && fifteen.contains("heartbeat 15 s"), fifteen);
            assertTrue(minute.contains("FAIL nginx read timeout") && minute.contains("heartbeat 60 s"), minute);
            assertEquals(2, new CommandLine(new DoctorCommand()).execute("--heartbeat", "soon"));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("doctor: --heartbeat soon: must be a duration"), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
