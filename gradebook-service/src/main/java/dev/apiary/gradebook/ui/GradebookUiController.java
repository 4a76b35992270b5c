package dev.apiary.gradebook.ui;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The gradebook UI is a single-page app built from ui/ into classpath:/static/gradebook. Its routes
 * ({@code /gradebook/sections/{id}}) are not files, so they are answered with the app's index.html;
 * the app then reads the section id from the path and the token from the URL fragment.
 */
@Controller
class GradebookUiController {

    static final String INDEX = "forward:/gradebook/index.html";

    @GetMapping({"/gradebook", "/gradebook/"})
    String home(HttpServletResponse response) {
        noCache(response);
        return INDEX;
    }

    @GetMapping({"/gradebook/sections/{id:\\d+}", "/gradebook/sections/{id:\\d+}/"})
    String section(@PathVariable("id") long id, HttpServletResponse response) {
        noCache(response);
        return INDEX;
    }

    /** index.html names the current hashed bundle, so browsers must revalidate it; the bundle itself is immutable. */
    private static void noCache(HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        response.setHeader("Referrer-Policy", "no-referrer");
    }
}
