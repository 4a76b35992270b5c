package dev.apiary.sandbox.providers.sim;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
public class SimConfiguration {

    @Bean
    SimSettings simSettings(Environment env) {
        Map<String, String> start = Binder.get(env)
                .bind("sandbox", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        return new SimSettings(start);
    }

    @Bean
    GroundTruth groundTruth() {
        return new GroundTruth();
    }

    @Bean
    Gate gate(SimSettings settings, GroundTruth truth) {
        return new Gate(settings, truth);
    }

    @Bean(destroyMethod = "close")
    Callbacks callbacks(GroundTruth truth) {
        return new Callbacks(truth);
    }
}
