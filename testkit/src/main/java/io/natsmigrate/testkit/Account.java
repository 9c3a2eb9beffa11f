package io.natsmigrate.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsmigrate.primitives.NameRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    private final String name;
    private final Map<String, String> users;
    private final List<String> nkeys;
    private final boolean jetStream;
    private final long maxMemory;
    private final long maxFile;
    private final List<ObjectNode> exports;
    private final List<ObjectNode> imports;

    private Account(Builder b) {
        this.name = b.name;
        this.users = Map.copyOf(b.users);
        this.nkeys = List.copyOf(b.nkeys);
        this.jetStream = b.jetStream;
        this.maxMemory = b.maxMemory;
        this.maxFile = b.maxFile;
        this.exports = b.exports.stream().map(ObjectNode::deepCopy).toList();
        this.imports = b.imports.stream().map(ObjectNode::deepCopy).toList();
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

    /** This account's entry inside the server's {@code accounts} object. */
    ObjectNode toConfig() {
        ObjectNode account = ConfigJson.object();
        if (jetStream && (maxMemory > 0 || maxFile > 0)) {
            ObjectNode limits = account.putObject("jetstream");
            if (maxMemory > 0) {
                limits.put("max_mem", maxMemory);
            }
            if (maxFile > 0) {
                limits.put("max_file", maxFile);
            }
        } else if (jetStream) {
            account.put("jetstream", true);
        }
        ArrayNode userList = account.putArray("users");
        users.forEach((u, p) -> userList.add(ConfigJson.user(u, p, null)));
        nkeys.forEach(k -> userList.addObject().put("nkey", k));
        if (!exports.isEmpty()) {
            account.set("exports", ConfigJson.array(exports));
        }
        if (!imports.isEmpty()) {
            account.set("imports", ConfigJson.array(imports));
        }
        return account;
    }

    /** Builds an {@link Account}. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> nkeys = new ArrayList<>();
        private boolean jetStream;
        private long maxMemory;
        private long maxFile;
        private final List<ObjectNode> exports = new ArrayList<>();
        private final List<ObjectNode> imports = new ArrayList<>();

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (!NameRules.isToken(name)) {
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
            exports.add(ConfigJson.object().put("stream", Objects.requireNonNull(subject, "subject")));
            return this;
        }

        /** Lets other accounts send requests to {@code subject}. */
        public Builder exportService(String subject) {
            exports.add(ConfigJson.object().put("service", Objects.requireNonNull(subject, "subject")));
            return this;
        }

        /** Receives messages that {@code fromAccount} exports on {@code subject}. */
        public Builder importStream(String fromAccount, String subject) {
            imports.add(anImport("stream", fromAccount, subject));
            return this;
        }

        /** Sends requests on {@code subject} to the service that {@code fromAccount} exports. */
        public Builder importService(String fromAccount, String subject) {
            imports.add(anImport("service", fromAccount, subject));
            return this;
        }

        private static ObjectNode anImport(String kind, String fromAccount, String subject) {
            ObjectNode entry = ConfigJson.object();
            entry.putObject(kind).put("account", Objects.requireNonNull(fromAccount, "fromAccount"))
                    .put("subject", Objects.requireNonNull(subject, "subject"));
            return entry;
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
