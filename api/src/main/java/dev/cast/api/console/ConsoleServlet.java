package dev.cast.api.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Serves the web console: its page at {@code /} and its files under {@code /console/}, outside
 * Jersey (so the REST API's token check and audit log never see them, and {@code /v1/...} is
 * untouched). Files are sent with {@code Cache-Control: no-cache} and an ETag: they have no
 * versioned names, so a browser asks again each time and gets a 304 while they are unchanged. Every
 * answer carries a strict Content-Security-Policy: scripts and styles from this origin only, no
 * inline script, calls to this origin only, no framing.
 */
public final class ConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** Where the console's files are served; the page itself is also {@code /}. */
  public static final String PREFIX = "/console";

  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final transient ConsoleAssets assets;

  public ConsoleServlet(ConsoleAssets assets) {
    this.assets = assets;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<ConsoleAssets.Asset> found = assets.find(fileOf(request));
    if (found.isEmpty()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such file of the console");
      return;
    }
    ConsoleAssets.Asset asset = found.get();
    response.setHeader("Content-Security-Policy", POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("ETag", asset.etag());
    if (asset.etag().equals(request.getHeader("If-None-Match"))) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    response.setContentType(asset.type());
    response.setContentLength(asset.body().length);
    response.getOutputStream().write(asset.body());
  }

  /** {@code index.html} for {@code /} and {@code /console/}; else the path below the prefix. */
  static String fileOf(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String info = request.getPathInfo();
    if (!PREFIX.equals(servletPath) || info == null || info.equals("/")) {
      return "index.html";
    }
    return info.substring(1);
  }
}
