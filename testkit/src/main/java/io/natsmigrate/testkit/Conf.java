package io.natsmigrate.testkit;

/** Quoting for values written into nats-server config files. */
final class Conf {

    private Conf() {
    }

    /** A double-quoted config string; backslashes and quotes escaped so paths and passwords survive. */
    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
