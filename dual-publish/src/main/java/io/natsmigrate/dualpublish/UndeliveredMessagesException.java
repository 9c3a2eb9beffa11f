package io.natsmigrate.dualpublish;

import java.util.List;

/** The dual publisher closed while messages were still kept for replay: persist them from here. */
public class UndeliveredMessagesException extends DualPublishException {

    private final List<UndeliveredMessage> messages;

    public UndeliveredMessagesException(List<UndeliveredMessage> messages) {
        super(messages.size() + " message(s) never reached JetStream and are only in this exception (Msg-Ids "
                + messages.stream().limit(10).map(UndeliveredMessage::msgId).toList()
                + (messages.size() > 10 ? " ..." : "") + "). Persist them and publish them again with their Msg-Ids");
        this.messages = List.copyOf(messages);
    }

    public List<UndeliveredMessage> messages() {
        return messages;
    }
}
