package dev.apiary.common.security;

import java.util.Optional;

import org.springframework.security.core.Authentication;

/**
 * A kind of bearer token a service accepts besides the API key (the gradebook's legacy-minted JWT).
 * Answer empty when the token is not of this kind; throw an
 * {@link org.springframework.security.core.AuthenticationException} when it is but is expired or forged.
 */
public interface BearerAuthenticator {
    Optional<Authentication> authenticate(String token);
}
