package io.natsmigrate.reliable;

/** A stream named in configuration does not exist on the server. */
public class NoSuchStreamException extends ReliablePublishException {

    private final String stream;

    public NoSuchStreamException(String stream) {
        super("Stream \"" + stream + "\" does not exist. Create it first, or fix the name", null, null, 0, null);
        this.stream = stream;
    }

    public String stream() {
        return stream;
    }
}
