package dev.apiary.common.events;

import java.io.IOException;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Tomcat: gives each GET request a way to close its connection at once ({@link #ATTRIBUTE}, a {@link Runnable}).
 * Completing a request whose client stopped reading leaves its unsent bytes to be flushed, which keeps the request
 * in progress (and a graceful shutdown waiting) until the socket times out, a minute by default. The hub aborts
 * such a connection instead when it cuts a client. Servlet has no API for it; without Tomcat the hub only
 * completes the request.
 */
public final class ConnectionAbortValve extends ValveBase {

    static final String ATTRIBUTE = ConnectionAbortValve.class.getName();

    public ConnectionAbortValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if ("GET".equals(request.getMethod())) {
            request.setAttribute(ATTRIBUTE, (Runnable) () -> response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null));
        }
        getNext().invoke(request, response);
    }
}
