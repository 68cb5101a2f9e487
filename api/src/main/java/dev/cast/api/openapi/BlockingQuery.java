package dev.cast.api.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A registry read that takes Consul's blocking-query parameters, {@code ?index=} and {@code
 * ?wait=}: {@link Contract} describes them on every operation marked so, once.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BlockingQuery {}
