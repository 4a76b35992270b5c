package dev.apiary.sandbox.legacy.web;

import dev.apiary.sandbox.legacy.LegacyProperties;
import dev.apiary.sandbox.legacy.school.SchoolData;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration
public class WebConfig implements WebMvcConfigurer {
    private final LegacyProperties props;

    public WebConfig(LegacyProperties props) {
        this.props = props;
    }

    @Bean
    SchoolData schoolData() {
        return new SchoolData(props);
    }

    /** Configurable slowness of the legacy JSON API, as the real app has. */
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        Duration latency = props.latency();
        if (latency.isZero() || latency.isNegative()) return;
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest req, HttpServletResponse res, Object handler) throws Exception {
                Thread.sleep(latency);
                return true;
            }
        }).addPathPatterns("/api/v1/**");
    }
}
