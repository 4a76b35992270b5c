package dev.apiary.gradebook.ui;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The UI's bundle files carry a content hash in their names (Vite), so they may be cached for a year. */
@Configuration(proxyBeanMethods = false)
class GradebookUiResources implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/gradebook/assets/**")
                .addResourceLocations("classpath:/static/gradebook/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }
}
