package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 13, point 8: a scenario name the bench does not know is an error, not a silent empty run. */
class BenchCommandTest {
    @Test
    void anUnknownScenarioIsAUsageErrorNamingTheKnownOnes() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--scenarios", "s9", "--out", "target/bench-unknown"));
        assertTrue(err.toString().contains("unknown scenario 's9'") && err.toString().contains("s1, s2, s3, s4, s5"), err.toString());
        assertEquals(2, new CommandLine(new BenchCommand()).setErr(new PrintWriter(new StringWriter())).execute("--scenarios", ","));
    }

    /**
     * The production profile is an argument file; naming it alone must reach the gateway's java
     * command as written, not be spliced in by the command line parser (it was: every flag of the
     * file became an unknown bench option).
     */
    @Test
    void aJvmValueNamingAnArgumentFileIsKeptAsWritten() {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs("bench", "--jvm", "@jvm/sse-gateway.args");
        BenchCommand bench = (BenchCommand) parsed.subcommand().commandSpec().userObject();
        assertEquals("@jvm/sse-gateway.args", bench.jvm);
    }
}
