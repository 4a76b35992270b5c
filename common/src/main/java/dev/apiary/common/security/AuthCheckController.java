package dev.apiary.common.security;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/_auth}: 204 when the request's credentials are valid, else the usual 401. nginx asks it
 * ({@code auth_request}, without the body) before it accepts a request body, so an unauthenticated upload is refused
 * before a byte of it is read or buffered.
 */
@RestController
public class AuthCheckController {

    public static final String PATH = "/api/_auth";

    @GetMapping(PATH)
    ResponseEntity<Void> check() {
        return ResponseEntity.noContent().build();
    }
}
