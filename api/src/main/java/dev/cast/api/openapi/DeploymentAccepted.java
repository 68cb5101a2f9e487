package dev.cast.api.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An operation that starts or steers a deployment's workflow: {@link Contract} describes its 202
 * answer (the deployment, with its {@code Location}) and its 503 (Temporal cannot be reached) once,
 * with {@link #value} as the 202's description.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DeploymentAccepted {
  /** What the 202 means here, e.g. "Started". */
  String value();
}
