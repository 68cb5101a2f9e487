package dev.cast.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one agent endpoint the join token reaches: registration, which answers with the host's own
 * token ({@code Cast-Host-Token}) for every later call.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
public @interface Joinable {}
