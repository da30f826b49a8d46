package io.ssegateway.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.ssegateway.config.LogSettings;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Sets up the jar's logging from its settings, once they are read and before the server starts:
 * Logback behind SLF4J (Jetty logs through SLF4J, the gateway through {@link System.Logger},
 * which {@code slf4j-jdk-platform-logging} routes there too), one appender on standard error, text
 * with the zone offset or Logback's JSON lines, a level for everything and levels per logger.
 */
final class Logging {
    /** Text lines: ISO-8601 time with offset, level, thread, logger, message. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36}: %msg%n";

    private Logging() {
    }

    static void configure(LogSettings settings) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Encoder<ILoggingEvent> encoder;
        if (settings.json()) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            // One object per line: timestamp (epoch milliseconds, UTC), level, thread, logger, the
            // message with its arguments filled in, MDC and the exception; not Logback's internals.
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.start();
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setContext(context);
            text.setPattern(TEXT_PATTERN);
            text.start();
            encoder = text;
        }
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.addFilter(new WarmUpNodeFilter());
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(stderr);
        root.setLevel(Level.toLevel(settings.level()));
        if (settings.accessLog()) {
            // Asked for, so shown whatever log-level says (log-levels may still set it).
            context.getLogger("access").setLevel(Level.INFO);
        }
        for (Map.Entry<String, String> e : settings.levels().entrySet()) {
            context.getLogger(e.getKey()).setLevel(Level.toLevel(e.getValue()));
        }
    }

    /**
     * Holds back what the warm-up's throwaway node logs below ERROR (its start, its stop, its
     * warning that it has no auth key): those lines are not this node's. Its errors still show.
     */
    static final class WarmUpNodeFilter extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            return WarmUp.NODE_THREAD.equals(event.getThreadName()) && !event.getLevel().isGreaterOrEqual(Level.ERROR)
                ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
