package io.ssegateway.mercure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrantsTest {
    private static final URI HUB = URI.create("https://hub.test/.well-known/mercure");
    private static final String TYPE = Grants.DETAIL_TYPE;

    private static Topic topic(String t) {
        return new Topic(t, HUB);
    }

    @Test
    void actionsApplyToTheirOwnMatchersAndUnknownActionsGrantNothing() {
        Grants g = Grants.parse(List.of(
            Map.of("type", TYPE, "actions", List.of("publish"), "topics", List.of(Map.of("match", "a"))),
            Map.of("type", TYPE, "actions", List.of("subscribe", "teleport"),
                "topics", List.of(Map.of("match", "https://e.com/:id", "match_type", "urlpattern"))),
            Map.of("type", "https://other.api/detail", "anything", 1)), null, HUB);
        assertTrue(g.allows(Grants.PUBLISH, topic("a")));
        assertFalse(g.allows(Grants.SUBSCRIBE, topic("a")));
        assertTrue(g.allows(Grants.SUBSCRIBE, topic("https://e.com/1")));
        assertFalse(g.allows(Grants.PUBLISH, topic("https://e.com/1")));
        assertFalse(g.allows("teleport", topic("x")));
        assertTrue(g.allowsSubscribeToAny(List.of(topic("z"), topic("https://e.com/2"))));
    }

    @Test
    void theWildcardMatchesEverythingWhateverItsType() {
        Grants g = Grants.parse(List.of(Map.of("type", TYPE, "actions", List.of("publish"),
            "topics", List.of(Map.of("match", "*", "match_type", "urlpattern")))), null, HUB);
        assertTrue(g.allows(Grants.PUBLISH, topic("not a url")));
        assertTrue(g.allows(Grants.PUBLISH, topic("https://anything/at/all")));
    }

    @Test
    void oneMalformedDetailRejectsTheWholeToken() {
        List<Object> bad = List.of(
            "not an array",
            List.of("not an object"),
            List.of(Map.of("type", TYPE, "topics", List.of(Map.of("match", "a")))),
            List.of(Map.of("type", TYPE, "actions", List.of(), "topics", List.of(Map.of("match", "a")))),
            List.of(Map.of("type", TYPE, "actions", List.of(1), "topics", List.of(Map.of("match", "a")))),
            List.of(Map.of("type", TYPE, "actions", List.of("publish"), "topics", List.of())),
            List.of(Map.of("type", TYPE, "actions", List.of("publish"), "topics", List.of("a"))),
            List.of(Map.of("type", TYPE, "actions", List.of("publish"), "topics", List.of(Map.of("match", "a",
                "match_type", "regex")))),
            List.of(Map.of("type", TYPE, "actions", List.of("publish"), "topics", List.of(Map.of("match", "(",
                "match_type", "urlpattern")))),
            List.of(Map.of("type", TYPE, "actions", List.of("subscribe"), "topics", List.of(Map.of("match", "a")),
                "payload", "not an object")),
            List.of(Map.of("type", TYPE, "actions", List.of("publish"),
                "topics", Collections.nCopies(Grants.MAX_MATCHERS + 1, Map.of("match", "a")))),
            Collections.nCopies(Grants.MAX_DETAILS + 1, Map.of("type", TYPE, "actions", List.of("publish"),
                "topics", List.of(Map.of("match", "a")))));
        for (Object claim : bad) {
            assertThrows(IllegalArgumentException.class, () -> Grants.parse(claim, null, HUB), String.valueOf(claim));
        }
    }

    @Test
    void aTokenWithoutMercureDetailsGrantsNothing() {
        assertFalse(Grants.parse(null, null, HUB).allows(Grants.PUBLISH, topic("a")));
    }
}
