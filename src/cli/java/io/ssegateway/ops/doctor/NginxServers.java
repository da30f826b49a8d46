package io.ssegateway.ops.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which nginx {@code server} block answers which requests. nginx gives a request to the server on
 * its listen address whose {@code server_name} matches the Host header, and every other request to
 * that address's default server: the first with {@code default_server}, else the first in the
 * order nginx reads the configuration. Debian's default site is {@code listen 80 default_server},
 * so the gateway's server, installed beside it, gets only the Host names it lists.
 */
final class NginxServers {
    /** A server block: where it was read from, its listen addresses (and which it is default for), its names. */
    record Server(String source, Map<String, Boolean> listens, List<String> names, boolean streams) {
        boolean hasNames() {
            return names.stream().anyMatch(n -> !n.isEmpty() && !n.equals("_") && !n.equals("\"\""));
        }
    }

    /** {@code NginxConfigText}'s marker of an included file, or {@code nginx -T}'s of each file. */
    private static final Pattern SOURCE = Pattern.compile("(?m)^#\\s*(?:include|configuration file)\\s+(\\S+?):?\\s*$");
    private static final Pattern SERVER = Pattern.compile("\\bserver\\s*\\{");
    private static final Pattern LISTEN = Pattern.compile("(?m)^\\s*listen\\s+([^;]+);");
    private static final Pattern SERVER_NAME = Pattern.compile("(?m)^\\s*server_name\\s+([^;]+);");
    private static final Pattern STREAM_LOCATION = Pattern.compile("\\blocation\\s+(=\\s*)?/events\\b");

    private NginxServers() {
    }

    /** The server blocks of {@code config} in reading order. */
    static List<Server> parse(String config) {
        String code = blankComments(config);
        List<Server> servers = new ArrayList<>();
        Matcher m = SERVER.matcher(code);
        while (m.find()) {
            int end = blockEnd(code, m.end());
            String body = topLevel(code.substring(m.end(), end));
            Map<String, Boolean> listens = new LinkedHashMap<>();
            Matcher l = LISTEN.matcher(body);
            while (l.find()) {
                String[] words = l.group(1).trim().split("\\s+");
                boolean isDefault = List.of(words).contains("default_server") || List.of(words).contains("default");
                listens.merge(address(words[0]), isDefault, Boolean::logicalOr);
            }
            if (listens.isEmpty()) {
                listens.put("*:80", false);
            }
            List<String> names = new ArrayList<>();
            Matcher n = SERVER_NAME.matcher(body);
            while (n.find()) {
                names.addAll(List.of(n.group(1).trim().split("\\s+")));
            }
            servers.add(new Server(sourceBefore(config, m.start()), listens, names,
                STREAM_LOCATION.matcher(code.substring(m.end(), end)).find()));
            m.region(end, code.length());
        }
        return servers;
    }

    /** The server that answers requests on {@code address} whose Host no server_name matches. */
    static Server defaultFor(List<Server> servers, String address) {
        Server first = null;
        for (Server s : servers) {
            Boolean isDefault = s.listens().get(address);
            if (isDefault != null) {
                if (isDefault) {
                    return s;
                }
                first = first == null ? s : first;
            }
        }
        return first;
    }

    /** {@code 80} and {@code *:80} are one address; {@code [::]:80} and {@code 127.0.0.1:80} others. */
    private static String address(String word) {
        if (word.matches("\\d+")) {
            return "*:" + word;
        }
        return word.startsWith("0.0.0.0:") ? "*:" + word.substring(8) : word;
    }

    /** The block's text without its nested blocks (listen and server_name are server-level). */
    private static String topLevel(String block) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < block.length(); i++) {
            char c = block.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int blockEnd(String code, int from) {
        int depth = 1;
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return code.length();
    }

    private static String sourceBefore(String config, int at) {
        String source = "the main configuration file";
        Matcher m = SOURCE.matcher(config);
        while (m.find() && m.start() < at) {
            source = m.group(1);
        }
        return source;
    }

    /** Comments replaced by spaces, so that offsets stay those of the original text. */
    static String blankComments(String text) {
        StringBuilder out = new StringBuilder(text);
        Matcher m = Pattern.compile("#[^\\n]*").matcher(text);
        while (m.find()) {
            for (int i = m.start(); i < m.end(); i++) {
                out.setCharAt(i, ' ');
            }
        }
        return out.toString();
    }
}
