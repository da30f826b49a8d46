package io.ssegateway.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code --config} file: one {@code key = value} per line with the flags' names
 * ({@code heartbeat = 25s}), {@code #} comments, read with the JDK's properties format (UTF-8). Its
 * values go through the same typed settings as flags and environment; a key that names no setting
 * stops start-up with the closest name.
 *
 * @param name   the file, for messages ("heartbeat in /etc/sse-gateway/gateway.conf")
 * @param values the values by setting key
 */
public record ConfigFile(String name, Map<String, String> values) {
    /** No file. */
    public static final ConfigFile NONE = new ConfigFile("", Map.of());

    /**
     * The environment variable that names the file when no {@code --config} flag does (a container
     * image's command line is fixed; its environment is what a deployment sets). Not a setting.
     */
    public static final String ENV = "SSE_CONFIG";

    public ConfigFile {
        values = Map.copyOf(values);
    }

    /** The file {@code flag} names, else the one {@value #ENV} names in {@code env}, else {@link #NONE}. */
    public static ConfigFile of(Path flag, Map<String, String> env) {
        if (flag != null) {
            return read(flag);
        }
        String named = env.get(ENV);
        return named == null || named.isBlank() ? NONE : read(Path.of(named.trim()));
    }

    /** Reads and checks {@code file}. */
    public static ConfigFile read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config file " + file + " is malformed: " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        for (String key : props.stringPropertyNames()) {
            values.put(key, props.getProperty(key));
        }
        return checked(file.toString(), values);
    }

    /**
     * Values by setting key from another file-like source (an application's own configuration,
     * such as Spring's {@code sse.*} properties), checked as a file is.
     *
     * @param name the source, for messages
     */
    public static ConfigFile checked(String name, Map<String, String> values) {
        UnknownNames.check(values, "", "key in " + name + ":", Setting::key);
        return new ConfigFile(name, values);
    }
}
