package io.ssegateway.testing;

import jakarta.json.JsonObject;
import java.io.StringReader;

/** Reads fields of JSON answers in tests. */
public final class Json {
    private Json() {
    }

    public static JsonObject parse(String text) {
        try (var reader = jakarta.json.Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    public static String field(String text, String name) {
        return parse(text).getString(name);
    }
}
