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
}
