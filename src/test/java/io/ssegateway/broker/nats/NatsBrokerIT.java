package io.ssegateway.broker.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.ssegateway.broker.BrokerFixture;
import io.ssegateway.broker.BrokerKit;
import io.ssegateway.broker.RelayedBroker;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.NatsServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The NATS JetStream broker: the broker kit ({@link BrokerKit}) against a real nats-server of our
 * own (never the one on 4222), and what is NATS's alone: subjects, the stream's configuration,
 * publishing from outside the gateway.
 */
class NatsBrokerIT extends BrokerKit {
    private NatsServer nats;

    @Override
    protected BrokerFixture startBroker() throws Exception {
        nats = NatsServer.start();
        return new RelayedBroker(nats) {
            @Override
            public List<String> settings() {
                return List.of("broker", "nats", "nats-url", "nats://127.0.0.1:" + relayPort());
            }

            @Override
            public Map<String, String> environment() {
                return Map.of("SSE_BROKER", "nats", "SSE_NATS_URL", "nats://127.0.0.1:" + relayPort());
            }

            @Override
            public void loseEverything() throws Exception {
                try (Connection c = Nats.connect(nats.url())) {
                    c.jetStreamManagement().deleteStream("sse");
                }
            }
        };
    }

    /** Topics that differ only in {@code / . : @} are different subjects, each one token. */
    @Test
    void topicsMapToOneSubjectTokenEachAndKeepTheirMeaning() throws Exception {
        TestGateway a = node();
        List<String> topics = List.of("a/b", "a.b", "a:b", "a@b", "a_b", "a-b");
        try (Connection c = Nats.connect(nats.url())) {
            Subscription raw = c.subscribe("sse.*");
            c.flush(Duration.ofSeconds(2));
            try (SseClient dotted = SseClient.connect(http, a.url("/events?topic=a.b"))) {
                dotted.nextComment(WAIT);
                for (String topic : topics) {
                    a.publishOk(topic, topic);
                }
                assertEquals("a.b", dotted.next().data());
                dotted.assertNoEvent(Duration.ofMillis(300));
            }
            for (String topic : topics) {
                var m = raw.nextMessage(Duration.ofSeconds(2));
                assertEquals(topic, new String(m.getData(), StandardCharsets.UTF_8));
                assertEquals(new Subjects("sse").of(topic), m.getSubject());
            }
            assertEquals(List.of("sse.a%2Fb", "sse.a%2Eb", "sse.a%3Ab", "sse.a%40b", "sse.a_b", "sse.a-b"),
                topics.stream().map(new Subjects("sse")::of).toList());
        }
    }

    /** A message on a subject that names no topic (a non-canonical spelling) is skipped; delivery goes on. */
    @Test
    void aMessageOnASubjectThatNamesNoTopicIsSkipped() throws Exception {
        TestGateway a = node();
        try (SseClient sub = SseClient.connect(http, a.url("/events?topic=A"));
             Connection c = Nats.connect(nats.url())) {
            sub.nextComment(WAIT);
            c.jetStream().publish("sse.%41", "spelled %41".getBytes(StandardCharsets.UTF_8));
            String id = a.publishOk("A", "spelled A");
            SseEvent e = sub.next();
            assertEquals(id, e.id());
            assertEquals("spelled A", e.data());
        }
    }

    /**
     * Publishing without the gateway, as the README documents it: any NATS client publishes the
     * data to {@code sse.<percent-encoded topic>}, the type in {@code Sse-Type}. A publish written
     * as protocol text on a plain socket (what {@code nats req} and every client library send),
     * acknowledged by JetStream, and a JetStream publish through jnats both reach subscribers, with
     * ids in the stream's sequence, and a resume replays them without a gap event.
     */
    @Test
    void eventsPublishedByAnyNatsClientReachSubscribersAndHistory() throws Exception {
        TestGateway a = node();
        String first;
        try (SseClient sub = SseClient.connect(http, a.url("/events?topic=orders/42"));
             Connection c = Nats.connect(nats.url())) {
            sub.nextComment(WAIT);
            first = a.publishOk("orders/42", "from the gateway");
            String coreAck = hpub(nats.port(), "sse.orders%2F42", "Sse-Type: shipped", "core publish");
            assertTrue(coreAck.replace(" ", "").startsWith("{\"stream\":\"sse\",\"seq\":"), coreAck);
            var ack = c.jetStream().publish("sse.orders%2F42", "jetstream\npublish".getBytes(StandardCharsets.UTF_8));
            assertEquals("from the gateway", sub.next().data());
            SseEvent core = sub.next(WAIT, "the core publish");
            assertEquals("shipped", core.event());
            assertEquals("core publish", core.data());
            SseEvent js = sub.next(WAIT, "the JetStream publish");
            assertEquals("jetstream\npublish", js.data());
            assertEquals(first.substring(0, first.indexOf('-') + 1) + ack.getSeqno(), js.id(), "the id is the stream sequence");
        }
        try (SseClient resumed = SseClient.connect(http, a.url("/events?topic=orders/42"), first)) {
            assertEquals(List.of("core publish", "jetstream\npublish"),
                resumed.take(2, WAIT).stream().map(SseEvent::data).toList(), "no gap event: nothing was lost");
        }
    }

    /**
     * Publishes as the NATS protocol spells it (what {@code nats req} sends): CONNECT with headers,
     * a reply inbox, one HPUB; returns JetStream's acknowledgement, the body of the reply.
     */
    private static String hpub(int port, String subject, String header, String data) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("INFO "));
            String headers = "NATS/1.0\r\n" + header + "\r\n\r\n";
            int headerBytes = headers.getBytes(StandardCharsets.UTF_8).length;
            int total = headerBytes + data.getBytes(StandardCharsets.UTF_8).length;
            String text = "CONNECT {\"verbose\":false,\"headers\":true,\"protocol\":1}\r\nSUB _INBOX.test 1\r\n"
                + "HPUB " + subject + " _INBOX.test " + headerBytes + " " + total + "\r\n" + headers + data + "\r\n";
            s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            String line = in.readLine();
            while (line.equals("PING")) {
                s.getOutputStream().write("PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                line = in.readLine();
            }
            assertTrue(line.startsWith("MSG _INBOX.test 1 "), line);
            return in.readLine();
        }
    }

    /** An existing stream with other limits stops start-up, naming each difference and the fix. */
    @Test
    void aConflictingExistingStreamStopsStartUpWithTheDifference() throws Exception {
        try (Connection c = Nats.connect(nats.url())) {
            JetStreamManagement jsm = c.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("sse").subjects("sse.*").storageType(StorageType.Memory)
                .maxMessagesPerSubject(5).build());
        }
        int port = GatewayProcess.freePort();
        GatewayProcess p = GatewayProcess.launch(System.getProperty("java.home"), port, broker.environment(),
            List.of("--port", Integer.toString(port), "--host", "127.0.0.1"));
        try {
            assertTrue(p.process().waitFor(30, TimeUnit.SECONDS), "start-up stops");
            assertEquals(1, p.process().exitValue());
            String out = p.output();
            assertTrue(out.contains("max_msgs_per_subject is 5, the gateway needs 1000 (history-max-events)"), out);
            assertTrue(out.contains("storage is memory, the gateway needs file"), out);
            assertTrue(out.contains("max_age is 0 (no limit), the gateway needs 1h (history-max-age)"), out);
            assertTrue(out.contains("nats stream edit sse"), out);
        } finally {
            p.close();
        }
    }

    /**
     * The stream is deleted and recreated by an operator between two publishes of a topic: the
     * next publish is refused (503) or names the new stream's epoch, never the old epoch with the
     * new stream's sequence.
     */
    @Test
    void aPublishRightAfterTheStreamWasRecreatedNeverNamesTheOldEpoch() throws Exception {
        TestGateway a = node();
        String old = a.publishOk("recreated", "before");
        try (Connection c = Nats.connect(nats.url())) {
            JetStreamManagement jsm = c.jetStreamManagement();
            StreamConfiguration config = jsm.getStreamInfo("sse").getConfiguration();
            jsm.deleteStream("sse");
            jsm.addStream(config);
        }
        var r = a.publish("recreated", "right after");
        if (r.statusCode() == 200) {
            assertTrue(!r.body().contains(old.substring(0, old.indexOf('-') + 1)), "old epoch in " + r.body());
        } else {
            assertEquals(503, r.statusCode(), r.body());
        }
    }

    /**
     * Acknowledged means stored: 200 acknowledged events survive the nats-server process being
     * killed (SIGKILL) right after; restarted on its store, the same epoch replays all of them.
     */
    @Test
    void acknowledgedEventsSurviveTheServerBeingKilled() throws Exception {
        TestGateway a = node();
        List<String> acked = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            acked.add(a.publishOk("durable", "event " + i));
        }
        nats.kill();
        nats.startProcess();
        awaitReady(a);
        String epochZero = acked.get(0).substring(0, acked.get(0).indexOf('-')) + "-0";
        try (SseClient c = SseClient.connect(http, a.url("/events?topic=durable"), epochZero)) {
            assertEquals(acked, c.take(acked.size(), WAIT).stream().map(SseEvent::id).toList(), "same epoch, every event");
        }
    }

    /** History bounds are the stream's limits. */
    @Test
    void historyBoundsBecomeTheStreamsLimits() throws Exception {
        node("history-max-events", "7", "history-max-age", "90s");
        try (Connection c = Nats.connect(nats.url())) {
            StreamConfiguration sc = c.jetStreamManagement().getStreamInfo("sse").getConfiguration();
            assertEquals(7, sc.getMaxMsgsPerSubject());
            assertEquals(Duration.ofSeconds(90), sc.getMaxAge());
            assertEquals(Duration.ofSeconds(90), sc.getDuplicateWindow());
            assertEquals(List.of("sse.*"), sc.getSubjects());
            assertEquals(StorageType.File, sc.getStorageType());
        }
        // A second node with the same settings finds the stream as it needs it.
        assertEquals(200, node("history-max-events", "7", "history-max-age", "90s").get("/ready").statusCode());
    }
}
