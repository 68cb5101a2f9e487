package dev.cast.api.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.auth.AuthFilter;
import dev.cast.api.auth.Caller;
import dev.cast.api.auth.Tokens;
import dev.cast.api.errors.ApiException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path of a blocking read of one key ({@code GET /v1/kv/<key>?index=N}), below Jersey: a
 * read that has to wait parks as a servlet async request, and when the write wakes it, the answer
 * (rendered once per version of the key, however many wait on it) is written straight to the
 * connection. Through Jersey each woken read cost about 0.1–0.2 ms of resume and response work, so
 * a thousand watchers of one key waited up to 200 ms for the last answer. Everything else — a read
 * that answers at once, a listing, any request with something to refuse — goes on to {@link
 * KvResource}, which answers it as before.
 */
public final class BlockingKvReads implements Filter {
  private static final Logger log = LoggerFactory.getLogger(BlockingKvReads.class);
  private static final String PREFIX = "/v1/kv/";

  private final Registry registry;
  private final ObjectMapper json;
  private final Tokens tokens;
  private final boolean authEnabled;
  private volatile Rendered last;

  private record Rendered(KvEntry entry, byte[] json) {}

  public BlockingKvReads(Registry registry, ObjectMapper json, Tokens tokens, boolean authEnabled) {
    this.registry = registry;
    this.json = json;
    this.tokens = tokens;
    this.authEnabled = authEnabled;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)
        || !parks(request)) {
      chain.doFilter(req, res);
      return;
    }
    String key = request.getRequestURI().substring(PREFIX.length());
    Blocks blocks;
    try {
      Keys.check(key, true);
      blocks = Blocks.of(queryOf(request));
    } catch (ApiException refused) {
      chain.doFilter(req, res); // the resource answers the refusal
      return;
    }
    if (!mayRead(request, key) || registry.get(key).index() > blocks.index()) {
      chain.doFilter(req, res);
      return;
    }
    boolean raw = request.getParameter("raw") != null;
    AsyncContext async = request.startAsync();
    async.setTimeout(0); // the wait is Blocking's to time, not the container's
    registry
        .blocking()
        .await(blocks.index(), blocks.maxWait(), () -> registry.get(key), Blocking.key(key))
        .whenComplete(
            (answer, failure) -> {
              try {
                if (failure != null) {
                  response.sendError(500);
                } else {
                  write(response, answer, raw);
                }
              } catch (IOException | RuntimeException e) {
                log.debug("registry: a watcher went away before its answer: {}", e.toString());
              } finally {
                async.complete();
              }
            });
  }

  /** A plain read of one key that names an index: everything else goes to the resource. */
  private static boolean parks(HttpServletRequest request) {
    String uri = request.getRequestURI();
    return "GET".equals(request.getMethod())
        && uri.startsWith(PREFIX)
        && uri.length() > PREFIX.length()
        && uri.indexOf('%') < 0 // escaped keys: the resource decodes them
        && request.getParameter("index") != null
        && request.getParameter("recurse") == null
        && request.getParameter("keys") == null
        && request.isAsyncSupported();
  }

  private boolean mayRead(HttpServletRequest request, String key) {
    if (!authEnabled) {
      return true;
    }
    String secret = AuthFilter.secret(request::getHeader, request::getParameter, true);
    if (secret == null) {
      return false;
    }
    Optional<Caller> caller = tokens.authenticate(secret);
    return caller.isPresent() && caller.get().mayRead(key);
  }

  private void write(HttpServletResponse response, Blocking.Answer<KvEntry> answer, boolean raw)
      throws IOException {
    response.setHeader("X-Consul-Index", Long.toUnsignedString(Math.max(1, answer.index())));
    response.setHeader("X-Consul-KnownLeader", "true");
    response.setHeader("X-Consul-LastContact", "0");
    KvEntry entry = answer.body();
    if (entry == null) {
      response.setStatus(404);
      response.setContentLength(0);
      return;
    }
    byte[] body;
    if (raw) {
      body = entry.value() == null ? new byte[0] : entry.value();
      response.setContentType(KvResource.contentType(entry.value()).toString());
    } else {
      body = rendered(entry);
      response.setContentType("application/json");
    }
    response.setStatus(200);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** The JSON of one version of a key, rendered once for all who wait on it. */
  private byte[] rendered(KvEntry entry) throws IOException {
    Rendered cached = last;
    if (cached != null && cached.entry() == entry) {
      return cached.json();
    }
    byte[] bytes =
        json.writeValueAsBytes(json.createArrayNode().add(ConsulJson.entry(json, entry, true)));
    last = new Rendered(entry, bytes);
    return bytes;
  }

  private static MultivaluedHashMap<String, String> queryOf(HttpServletRequest request) {
    MultivaluedHashMap<String, String> query = new MultivaluedHashMap<>();
    request.getParameterMap().forEach((k, v) -> query.put(k, List.of(v)));
    return query;
  }
}
