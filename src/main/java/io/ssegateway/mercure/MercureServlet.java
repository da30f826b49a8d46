package io.ssegateway.mercure;

import io.ssegateway.http.JsonResponses;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /.well-known/mercure}: GET subscribes ({@link MercureSubscriptions}), POST publishes ({@link MercurePublications}). */
public final class MercureServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient MercureSubscriptions subscriptions;
    private final transient MercurePublications publications;

    MercureServlet(MercureSubscriptions subscriptions, MercurePublications publications) {
        this.subscriptions = subscriptions;
        this.publications = publications;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (req.getMethod()) {
            case "GET" -> subscriptions.subscribe(req, resp);
            case "POST" -> publications.publish(req, resp);
            default -> JsonResponses.methodNotAllowed(resp, req.getMethod(), "GET, POST");
        }
    }
}
