package io.ssegateway.server;

import java.util.concurrent.Executor;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Components;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * Keeps Jetty from holding a map for each stream as long as the stream lives.
 *
 * <p>Jetty gives each HTTP/1.1 connection and each HTTP/2 channel a cache (a
 * {@code ConcurrentHashMap} behind {@link Components#getCache()}) so that the servlet context can
 * reuse its per-request objects for the connection's next request. A stream is one request that
 * lasts hours, so there is no next request to speed up, and the cache, made on the stream's first
 * request and holding one entry (a {@code ConcurrentHashMap}, its table, node and key set and the
 * {@code Attributes} around them), stays as long as the stream: with this handler, 100,000 HTTP/2
 * streams took 4,253 B of live heap each instead of 4,477 B (class histograms; docs/performance.md),
 * 19,000 HTTP/1.1 streams 6,593 B instead of 6,803 B. Requests pass through here with
 * {@link Attributes#NULL} for a cache: the servlet context builds its objects afresh for each
 * request (what a short request on a kept-alive connection costs instead) and caches nothing.
 */
final class NoChannelCache extends Handler.Wrapper {
    NoChannelCache(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(new Uncached(request), response, callback);
    }

    /** The request as Jetty made it, but for a cache that keeps nothing. */
    private static final class Uncached extends Request.Wrapper implements Components {
        Uncached(Request request) {
            super(request);
        }

        @Override
        public Components getComponents() {
            return this;
        }

        @Override
        public Attributes getCache() {
            return Attributes.NULL;
        }

        @Override
        public ByteBufferPool getByteBufferPool() {
            return getWrapped().getComponents().getByteBufferPool();
        }

        @Override
        public Scheduler getScheduler() {
            return getWrapped().getComponents().getScheduler();
        }

        @Override
        public Executor getExecutor() {
            return getWrapped().getComponents().getExecutor();
        }

        @Override
        @Deprecated
        @SuppressWarnings("removal") // Components requires it until Jetty removes it; it delegates
        public ThreadPool getThreadPool() {
            return getWrapped().getComponents().getThreadPool();
        }
    }
}
