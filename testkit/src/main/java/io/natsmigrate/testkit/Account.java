package io.natsmigrate.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An account in a test server's config: its users, whether JetStream is enabled for it, and the subjects it
 * exports to or imports from other accounts. Immutable; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * Account orders = Account.builder("ORDERS").user("orders", "secret").jetStream(true)
 *         .exportStream("orders.>").build();
 * Account billing = Account.builder("BILLING").user("billing", "secret")
 *         .importStream("ORDERS", "orders.>").build();
 * }</pre>
 */
public final class Account {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final String name;
    private final Map<String, String> users;
    private final List<String> nkeys;
    private final boolean jetStream;
    private final long maxMemory;
    private final long maxFile;
    private final List<String> exports;
    private final List<String> imports;

    private Account(Builder b) {
        this.name = b.name;
        this.users = Map.copyOf(b.users);
        this.nkeys = List.copyOf(b.nkeys);
        this.jetStream = b.jetStream;
        this.maxMemory = b.maxMemory;
        this.maxFile = b.maxFile;
        this.exports = List.copyOf(b.exports);
        this.imports = List.copyOf(b.imports);
    }

    /** Starts an account definition. Names are letters, digits, {@code _} and {@code -}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** User name to password. */
    public Map<String, String> users() {
        return users;
    }

    /** Public nkeys of the users that authenticate with an nkey. */
    public List<String> nkeyUsers() {
        return nkeys;
    }

    /** Whether JetStream is on for the account. */
    public boolean jetStream() {
        return jetStream;
    }

    /** This account's block inside the server's {@code accounts { }} section. */
    String toConfig() {
        StringBuilder sb = new StringBuilder();
        sb.append("  ").append(name).append(": {\n");
        if (jetStream && (maxMemory > 0 || maxFile > 0)) {
            sb.append("    jetstream: {");
            if (maxMemory > 0) {
                sb.append(" max_mem: ").append(maxMemory);
            }
            if (maxFile > 0) {
                sb.append(" max_file: ").append(maxFile);
            }
            sb.append(" }\n");
        } else if (jetStream) {
            sb.append("    jetstream: enabled\n");
        }
        sb.append("    users: [\n");
        users.forEach((u, p) -> sb.append("      {user: ").append(Conf.quote(u)).append(", password: ")
                .append(Conf.quote(p)).append("}\n"));
        nkeys.forEach(k -> sb.append("      {nkey: ").append(Conf.quote(k)).append("}\n"));
        sb.append("    ]\n");
        if (!exports.isEmpty()) {
            sb.append("    exports: [\n");
            exports.forEach(e -> sb.append("      ").append(e).append("\n"));
            sb.append("    ]\n");
        }
        if (!imports.isEmpty()) {
            sb.append("    imports: [\n");
            imports.forEach(i -> sb.append("      ").append(i).append("\n"));
            sb.append("    ]\n");
        }
        return sb.append("  }\n").toString();
    }

    /** Builds an {@link Account}. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> nkeys = new ArrayList<>();
        private boolean jetStream;
        private long maxMemory;
        private long maxFile;
        private final List<String> exports = new ArrayList<>();
        private final List<String> imports = new ArrayList<>();

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Account name \"" + name
                        + "\" is invalid: use letters, digits, '_' and '-' only");
            }
            this.name = name;
        }

        /** Adds a user with a password. */
        public Builder user(String user, String password) {
            users.put(Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /**
         * Adds a user that authenticates with an nkey (its public key, {@code U...}); the client signs with the
         * seed: {@code optionsBuilder().authHandler(Nats.staticCredentials(publicKey, seed))}.
         */
        public Builder nkeyUser(String publicKey) {
            Objects.requireNonNull(publicKey, "publicKey");
            if (!isUserKey(publicKey)) {
                throw new IllegalArgumentException("\"" + publicKey + "\" is not a user's public nkey (U...):"
                        + " create one with NkeyUser.create(), or NKey.createUser(null) and pass new"
                        + " String(nkey.getPublicKey())");
            }
            nkeys.add(publicKey);
            return this;
        }

        /** Adds a user that authenticates with {@code user}'s nkey. */
        public Builder nkeyUser(NkeyUser user) {
            return nkeyUser(Objects.requireNonNull(user, "user").publicKey());
        }

        private static boolean isUserKey(String key) {
            try {
                return io.nats.client.NKey.isValidPublicUserKey(key.toCharArray());
            } catch (IllegalArgumentException notAnNkey) {
                return false; // jnats throws for a malformed key ("CRC is invalid") instead of answering false
            }
        }

        /** Enables JetStream for this account (needs JetStream on the server). */
        public Builder jetStream(boolean enabled) {
            this.jetStream = enabled;
            return this;
        }

        /** Enables JetStream for this account with storage limits in bytes (0: no limit). */
        public Builder jetStreamLimits(long maxMemoryBytes, long maxFileBytes) {
            if (maxMemoryBytes < 0 || maxFileBytes < 0) {
                throw new IllegalArgumentException("JetStream limits must not be negative");
            }
            this.jetStream = true;
            this.maxMemory = maxMemoryBytes;
            this.maxFile = maxFileBytes;
            return this;
        }

        /** Lets other accounts subscribe to messages on {@code subject}. */
        public Builder exportStream(String subject) {
            exports.add("{stream: " + Conf.quote(subject) + "}");
            return this;
        }

        /** Lets other accounts send requests to {@code subject}. */
        public Builder exportService(String subject) {
            exports.add("{service: " + Conf.quote(subject) + "}");
            return this;
        }

        /** Receives messages that {@code fromAccount} exports on {@code subject}. */
        public Builder importStream(String fromAccount, String subject) {
            imports.add("{stream: {account: " + Conf.quote(fromAccount) + ", subject: " + Conf.quote(subject) + "}}");
            return this;
        }

        /** Sends requests on {@code subject} to the service that {@code fromAccount} exports. */
        public Builder importService(String fromAccount, String subject) {
            imports.add("{service: {account: " + Conf.quote(fromAccount) + ", subject: " + Conf.quote(subject)
                    + "}}");
            return this;
        }

        public Account build() {
            if (users.isEmpty() && nkeys.isEmpty()) {
                throw new IllegalStateException("Account " + name + " has no user: add one with user(name, password)"
                        + " or nkeyUser(publicKey) so clients can connect to it");
            }
            return new Account(this);
        }
    }
}
