package dev.cast.api.openapi;

import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.lang.annotation.Annotation;

/**
 * Keeps the contract's annotations (swagger's {@code @Operation}, {@code @ApiResponse},
 * {@code @Parameter}, …) away from the providers that read and write entities. They are for the
 * OpenAPI reader only, but Jersey hands a method's annotations to every body reader and writer, and
 * Jackson's provider hashes all of them on each call to find its cached writer: an annotation's
 * hash walks its whole tree of members, so the contract's nested annotations made that hash about
 * 40% of the work of answering a registry write.
 */
public final class ContractAnnotationsHidden implements WriterInterceptor, ReaderInterceptor {
  private static final String CONTRACT = "io.swagger.v3.oas.annotations";

  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    context.setAnnotations(withoutContract(context.getAnnotations()));
    context.proceed();
  }

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    context.setAnnotations(withoutContract(context.getAnnotations()));
    return context.proceed();
  }

  /** {@code annotations} without the contract's; the same array when it has none. */
  static Annotation[] withoutContract(Annotation[] annotations) {
    if (annotations == null) {
      return null;
    }
    int kept = 0;
    for (Annotation a : annotations) {
      if (!contract(a)) {
        kept++;
      }
    }
    if (kept == annotations.length) {
      return annotations;
    }
    Annotation[] lean = new Annotation[kept];
    int i = 0;
    for (Annotation a : annotations) {
      if (!contract(a)) {
        lean[i++] = a;
      }
    }
    return lean;
  }

  private static boolean contract(Annotation a) {
    return a.annotationType().getPackageName().startsWith(CONTRACT);
  }
}
