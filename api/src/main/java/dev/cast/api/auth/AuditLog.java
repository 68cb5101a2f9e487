package dev.cast.api.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cast.api.db.AuditDao;
import dev.cast.api.db.AuditRow;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every mutating call to the audit log: who (the token's name), what (method and path
 * template), on which app, its parameters (path, query and the JSON body as read; never a bundle's
 * bytes, nor a {@code ?token=}), the status it ended with, when and from where. Agents' heartbeats
 * and reports are not audited: they are not anyone's decision; nor are the registry's key/value
 * writes, transactions and sessions, which apps make at their own pace.
 */
@Priority(Priorities.USER)
public final class AuditLog implements ContainerResponseFilter, ReaderInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final String BODY = "cast.audit.body";

  @Context private ResourceInfo resource;
  @Context private HttpServletRequest servlet;

  private final AuditDao audit;
  private final ObjectMapper json;

  public AuditLog(AuditDao audit, ObjectMapper json) {
    this.audit = audit;
    this.json = json;
  }

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    Object entity = context.proceed();
    if (entity != null && !(entity instanceof InputStream) && !(entity instanceof byte[])) {
      context.setProperty(BODY, entity);
    }
    return entity;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    String httpMethod = request.getMethod();
    if (httpMethod.equals(HttpMethod.GET)
        || httpMethod.equals(HttpMethod.HEAD)
        || httpMethod.equals(HttpMethod.OPTIONS)) {
      return;
    }
    Method method = resource == null ? null : resource.getResourceMethod();
    if (method != null
        && (method.isAnnotationPresent(AgentOnly.class)
            || resource.getResourceClass().isAnnotationPresent(AgentOnly.class))) {
      return;
    }
    // The registry's data (keys, transactions, sessions) is written by apps at their own pace, as
    // Consul's clients do: an audit row each would cost a sync per write. Registrations and
    // tokens are audited.
    // No resource class when no resource method matched (a 404, a 405 for a method it lacks).
    Class<?> resourceClass = resource == null ? null : resource.getResourceClass();
    RegistryApi registry =
        resourceClass == null ? null : resourceClass.getAnnotation(RegistryApi.class);
    if (registry != null && registry.keys()) {
      return;
    }
    try {
      Object caller = request.getProperty(AuthFilter.CALLER);
      var uri = request.getUriInfo();
      ObjectNode params = json.createObjectNode();
      uri.getPathParameters().forEach((k, v) -> params.put(k, String.join(",", v)));
      uri.getQueryParameters()
          .forEach(
              (k, v) -> {
                if (!k.equals("token")) { // a Consul client's token, never kept
                  params.put(k, String.join(",", v));
                }
              });
      Object body = request.getProperty(BODY);
      if (body != null) {
        params.set("body", json.valueToTree(body));
      }
      audit.append(
          new AuditRow(
              0,
              System.currentTimeMillis(),
              caller instanceof Caller c ? c.name() : "anonymous",
              httpMethod + " " + template(method, "/" + uri.getPath()),
              "/" + uri.getPath(),
              uri.getPathParameters().getFirst("app"),
              params.toString(),
              response.getStatus(),
              servlet == null ? null : servlet.getRemoteAddr()));
    } catch (RuntimeException e) {
      log.warn("could not write the audit log: {}", e.getMessage());
    }
  }

  /** The path template of the matched method, e.g. {@code /v1/apps/{app}/deployments}. */
  private String template(Method method, String fallback) {
    if (method == null) {
      return fallback;
    }
    Path type = resource.getResourceClass().getAnnotation(Path.class);
    Path own = method.getAnnotation(Path.class);
    String joined = (type == null ? "" : type.value()) + (own == null ? "" : "/" + own.value());
    return ("/" + joined).replaceAll("/+", "/");
  }
}
