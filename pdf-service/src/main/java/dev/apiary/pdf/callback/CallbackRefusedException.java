package dev.apiary.pdf.callback;

import java.net.UnknownHostException;

/**
 * A callback host resolved to an address the policy refuses. An {@link UnknownHostException} so that HttpClient's
 * connection operator, which asks {@link CallbackAddresses} for the addresses, gives up on the host at once.
 */
public class CallbackRefusedException extends UnknownHostException {
    public CallbackRefusedException(String message) {
        super(message);
    }
}
