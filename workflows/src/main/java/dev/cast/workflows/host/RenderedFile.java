package dev.cast.workflows.host;

/**
 * One rendered config file as recorded: never a secret's value.
 *
 * @param src the template in the bundle
 * @param dest the file, relative to the release dir
 * @param mode its permission bits in octal, e.g. {@code 0640}
 * @param onChange what a change of the file calls for, as in {@code cast.yml}
 * @param content the rendered text with every value passed through {@code secret} masked; cut short
 *     when {@code truncated}
 * @param secrets how many values were masked
 * @param truncated whether {@code content} is only the start of the file (the record keeps at most
 *     {@link #RECORDED_CHARS} characters of a file)
 */
public record RenderedFile(
    String src,
    String dest,
    String mode,
    String onChange,
    String content,
    int secrets,
    boolean truncated) {

  /** The most of a file's text a record keeps: records travel through workflow histories. */
  public static final int RECORDED_CHARS = 16 * 1024;
}
