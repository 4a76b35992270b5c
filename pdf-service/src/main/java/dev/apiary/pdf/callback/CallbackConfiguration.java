package dev.apiary.pdf.callback;

import dev.apiary.pdf.config.PdfProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.InetAddress;

@Configuration
class CallbackConfiguration {

    /** Callback hosts are resolved by the system resolver unless a test supplies a scripted lookup. */
    @Bean
    CallbackAddresses callbackAddresses(PdfProperties props, ObjectProvider<CallbackAddresses.NameLookup> lookup) {
        PdfProperties.Callback c = props.callback();
        return new CallbackAddresses(new CallbackPolicy(c.allowedHosts(), c.allowedIps(), c.allowedPorts()),
                lookup.getIfAvailable(() -> InetAddress::getAllByName));
    }
}
