package io.natsmigrate.core.planfile;

import io.natsmigrate.core.InvalidPlanException;

/**
 * A plan file that cannot be read: the message names the file, the line and the element (a path such as
 * {@code phases[1].steps[0].consumer.stream}), what is wrong and the fix.
 */
public class PlanFileException extends InvalidPlanException {

    private final String source;
    private final int line;
    private final String path;

    /**
     * @param source the file, or {@code <text>} for parsed text
     * @param line   1-based; 0 when unknown
     * @param path   the element's path in the file; empty for the whole file
     */
    public PlanFileException(String source, int line, String path, String message) {
        super(where(source, line, path), message);
        this.source = source;
        this.line = line;
        this.path = path;
    }

    private static String where(String source, int line, String path) {
        return source + (line > 0 ? " line " + line : "") + (path.isEmpty() ? "" : " (" + path + ")");
    }

    /** The file, or {@code <text>}. */
    public String source() {
        return source;
    }

    /** 1-based line of the element; 0 when unknown. */
    public int line() {
        return line;
    }

    /** The element's path, e.g. {@code phases[0].steps[1].stream}; empty for the whole file. */
    public String path() {
        return path;
    }
}
