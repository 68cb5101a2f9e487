package dev.cast.api.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A Consul catalog or health operation that takes Consul's {@code ?dc=}: {@link Contract} describes
 * the parameter on every operation marked so, once (Cast has the one datacenter, {@code dc1}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Datacenter {}
