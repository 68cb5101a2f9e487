package dev.cast.api.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches Jersey (a URI too long, an ambiguous path,
 * a malformed header), as application/problem+json like every other error, not as an HTML page.
 */
public final class ProblemErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whatever the method: Jetty's own writes a body for GET, POST and HEAD only. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    String title = HttpStatus.getMessage(code);
    problem.put("type", "https://cast.dev/problems/HTTP_" + code);
    problem.put("title", title);
    problem.put("status", code);
    problem.put("detail", detail(code, message, title));
    byte[] body = JSON.writeValueAsBytes(problem);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static String detail(int code, String message, String title) {
    String what = message == null || message.isBlank() ? title : message;
    return switch (code) {
      case 414 -> "the request URI is too long (" + what + "); send parameters in the body";
      case 431 -> "the request headers are too large (" + what + ")";
      default -> "the request was refused before it reached Cast: " + what;
    };
  }
}
