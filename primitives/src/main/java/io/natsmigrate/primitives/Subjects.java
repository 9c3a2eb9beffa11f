package io.natsmigrate.primitives;

/**
 * Subject validation and wildcard matching with NATS's rules: tokens separated by {@code .}, no empty token,
 * no whitespace; {@code *} matches one token and {@code >} one or more trailing tokens (filters only).
 */
public final class Subjects {

    private Subjects() {
    }

    /**
     * Checks a subject that a message is published to: no wildcards.
     *
     * @return the subject
     * @throws InvalidSubjectException naming the problem and the fix
     */
    public static String requirePublishSubject(String subject) {
        // One pass over the characters: this runs on every publish.
        if (subject != null && !subject.isEmpty() && subject.charAt(0) != '.'
                && subject.charAt(subject.length() - 1) != '.') {
            boolean ok = true;
            char prev = 0;
            for (int i = 0; i < subject.length() && ok; i++) {
                char c = subject.charAt(i);
                boolean wildcardToken = (c == '*' || c == '>') && (prev == 0 || prev == '.')
                        && (i + 1 == subject.length() || subject.charAt(i + 1) == '.');
                ok = c > ' ' && c != 127 && !(c == '.' && prev == '.') && !wildcardToken;
                prev = c;
            }
            if (ok) {
                return subject;
            }
        }
        requireWellFormed(subject, "publish subject");
        for (String token : subject.split("\\.", -1)) {
            if (token.equals("*") || token.equals(">")) {
                throw new InvalidSubjectException(subject, "Cannot publish to \"" + subject + "\": it contains the"
                        + " wildcard '" + token + "'. Publish to a concrete subject; wildcards belong in stream and"
                        + " consumer filters");
            }
        }
        return subject;
    }

    /**
     * A concrete subject the filter matches, for probing where its messages go: each {@code *} and a trailing
     * {@code >} become the token {@code _probe}.
     */
    public static String sampleOf(String filter) {
        requireFilter(filter);
        StringBuilder b = new StringBuilder();
        for (String token : filter.split("\\.", -1)) {
            if (b.length() > 0) {
                b.append('.');
            }
            b.append(token.equals("*") || token.equals(">") ? "_probe" : token);
        }
        return b.toString();
    }

    /**
     * Checks a subject filter: wildcards allowed, {@code >} only as the last token.
     *
     * @return the filter
     * @throws InvalidSubjectException naming the problem and the fix
     */
    public static String requireFilter(String filter) {
        requireWellFormed(filter, "subject filter");
        String[] tokens = filter.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].equals(">") && i != tokens.length - 1) {
                throw new InvalidSubjectException(filter, "Subject filter \"" + filter + "\" has '>' before its last"
                        + " token; '>' may only end a filter (use '*' for a single token in the middle)");
            }
            if (tokens[i].length() > 1 && (tokens[i].contains("*") || tokens[i].contains(">"))) {
                throw new InvalidSubjectException(filter, "Subject filter \"" + filter + "\" has token \"" + tokens[i]
                        + "\" mixing a wildcard with other characters; a wildcard must be a whole token");
            }
        }
        return filter;
    }

    /** True when {@code subject} (concrete) is matched by {@code filter} (may hold wildcards). */
    public static boolean matches(String filter, String subject) {
        String[] f = filter.split("\\.", -1);
        String[] s = subject.split("\\.", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals(">")) {
                return s.length > i;
            }
            if (i >= s.length || (!f[i].equals("*") && !f[i].equals(s[i]))) {
                return false;
            }
        }
        return f.length == s.length;
    }

    /** True when some subject is matched by both filters (their subject spaces overlap). */
    public static boolean overlap(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            if (x[i].equals(">") || y[i].equals(">")) {
                return true;
            }
            if (!x[i].equals("*") && !y[i].equals("*") && !x[i].equals(y[i])) {
                return false;
            }
        }
        return x.length == y.length
                || (x.length > y.length && x[n].equals(">")) || (y.length > x.length && y[n].equals(">"));
    }

    /**
     * Whether filter {@code outer} matches every subject filter {@code inner} matches ({@code a.>} covers
     * {@code a.*} and {@code a.b.>}; {@code a.*.c} and {@code a.b.*} overlap but neither covers the other).
     */
    public static boolean covers(String outer, String inner) {
        java.util.Objects.requireNonNull(outer, "outer");
        java.util.Objects.requireNonNull(inner, "inner");
        String[] o = outer.split("\\.", -1);
        String[] in = inner.split("\\.", -1);
        for (int i = 0; i < o.length; i++) {
            if (o[i].equals(">")) {
                return in.length > i;
            }
            if (i >= in.length || in[i].equals(">") || (!o[i].equals("*") && !o[i].equals(in[i]))) {
                return false;
            }
        }
        return o.length == in.length;
    }

    private static void requireWellFormed(String subject, String what) {
        if (subject == null) {
            throw new InvalidSubjectException(null, "The " + what + " is null; pass a subject such as \"orders.created\"");
        }
        if (subject.isEmpty()) {
            throw new InvalidSubjectException(subject, "The " + what + " is empty; pass a subject such as \"orders.created\"");
        }
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new InvalidSubjectException(subject, "The " + what + " \"" + subject + "\" contains whitespace or a"
                        + " control character at index " + i + "; NATS subjects cannot (replace it, e.g. with '_')");
            }
        }
        if (subject.startsWith(".") || subject.endsWith(".") || subject.contains("..")) {
            throw new InvalidSubjectException(subject, "The " + what + " \"" + subject + "\" has an empty token (a leading,"
                    + " trailing or doubled '.'); every token between dots needs at least one character");
        }
    }
}
