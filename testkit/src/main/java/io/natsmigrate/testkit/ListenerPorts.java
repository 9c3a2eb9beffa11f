package io.natsmigrate.testkit;

/** Ports reported by the server; unknown ones are -1, which also means "pick one" in the config. */
record ListenerPorts(int client, int leafnode, int route, int monitor) {
    static final ListenerPorts UNASSIGNED = new ListenerPorts(-1, -1, -1, -1);

    ListenerPorts with(String kind, int port) {
        return switch (kind) {
            case "client" -> new ListenerPorts(port, leafnode, route, monitor);
            case "leafnode" -> new ListenerPorts(client, port, route, monitor);
            case "route" -> new ListenerPorts(client, leafnode, port, monitor);
            case "monitor" -> new ListenerPorts(client, leafnode, route, port);
            default -> this;
        };
    }

    boolean has(String kind) {
        return get(kind) > 0;
    }

    int get(String kind) {
        return switch (kind) {
            case "client" -> client;
            case "leafnode" -> leafnode;
            case "route" -> route;
            case "monitor" -> monitor;
            default -> -1;
        };
    }

    int require(String kind, String server) {
        int p = get(kind);
        if (p <= 0) {
            throw new IllegalStateException("Server " + server + " has no " + kind + " port: it was not"
                    + " started" + (kind.equals("client") || kind.equals("monitor") ? "" : " or has no "
                    + kind + " listener configured"));
        }
        return p;
    }
}
