package io.ssegateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {
    @Test
    void theGatewaysAnswersAreRead() {
        assertEquals(Map.of("id", "k2f9x0qz-42", "topic", "orders/42"), FlatJson.read("{\"id\":\"k2f9x0qz-42\",\"topic\":\"orders/42\"}"));
        assertEquals(Map.of("reason", "slow-consumer-dropped", "dropped", "12"),
            FlatJson.read("{\"reason\":\"slow-consumer-dropped\",\"dropped\":12}"));
    }

    @Test
    void escapesAreDecoded() {
        assertEquals(Map.of("topic", "t", "data", "a\nb \"q\" \\ é €"),
            FlatJson.read("{ \"topic\" : \"t\", \"data\" : \"a\\nb \\\"q\\\" \\\\ \\u00e9 €\" }"));
    }

    @Test
    void nestedValuesAndNullsAreSkipped() {
        assertEquals(Map.of("a", "1", "c", "true"), FlatJson.read("{\"a\":1,\"n\":null,\"o\":{\"x\":[1,\"}\"]},\"c\":true}"));
    }

    @Test
    void anythingElseIsNotAnObject() {
        assertNull(FlatJson.read("<html>502 Bad Gateway</html>"));
        assertNull(FlatJson.read("{\"a\":1"));
        assertNull(FlatJson.read("{\"a\":1} trailing"));
        assertNull(FlatJson.read(""));
        assertNull(FlatJson.read(null));
    }
}
