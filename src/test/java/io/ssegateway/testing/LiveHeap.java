package io.ssegateway.testing;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/** What this JVM's live heap holds: its class histogram, taken after a full collection. */
public final class LiveHeap {
    private LiveHeap() {
    }

    /** Live instances of each of {@code classNames}, in that order (0 for a class with none). */
    public static long[] instances(String... classNames) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {new String[0]}, new String[] {String[].class.getName()});
        long[] counts = new long[classNames.length];
        for (int c = 0; c < counts.length; c++) {
            Matcher row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(classNames[c]) + "(\\s|$)",
                Pattern.MULTILINE).matcher(histogram);
            counts[c] = row.find() ? Long.parseLong(row.group(1)) : 0;
        }
        return counts;
    }
}
