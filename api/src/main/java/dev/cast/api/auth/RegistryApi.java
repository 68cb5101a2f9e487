package dev.cast.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource of the registry (Consul's API: {@code /v1/kv}, {@code /v1/txn}, {@code /v1/session},
 * {@code /v1/catalog}, {@code /v1/health}, {@code /v1/agent}). Its callers may also send their
 * token as Consul clients do ({@code X-Consul-Token}, {@code ?token=}), and a token limited to key
 * prefixes reaches these resources and no others.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE})
public @interface RegistryApi {
  /**
   * Whether the resource decides access key by key ({@link Caller#mayRead}, {@link
   * Caller#mayWrite}) instead of by the role its HTTP method needs.
   */
  boolean keys() default false;
}
