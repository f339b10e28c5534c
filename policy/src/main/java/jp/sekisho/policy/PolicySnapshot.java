package jp.sekisho.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import jp.sekisho.policy.breakout.BreakoutPolicy;
import jp.sekisho.policy.network.NetworkSegments;

/**
 * An immutable, compiled policy: every app and the table that routes a host and path to one.
 *
 * <p>Built once when a policy loads and swapped atomically; a request only reads it. Host
 * lookup is one hash probe; the path prefixes of one host are few and kept longest first.
 */
public final class PolicySnapshot {

    private final String version;
    private final Map<String, App> appsById;
    private final Map<String, Route[]> routesByHost;
    private final List<String> orderedIds;
    private final NetworkSegments segments;
    private final BreakoutPolicy breakout;

    /**
     * A path prefix of an app. Matched without regard to case: many municipal upstreams (IIS,
     * Windows file shares) treat {@code /SECRET} as {@code /secret}, so the policy must too, or a
     * change of case would route a request past the app that guards it.
     */
    private record Route(String prefix, App app) {
        boolean matches(String path) {
            if (prefix.equals("/")) {
                return true;
            }
            // ';' ends a segment too: "/secret;x=1" is "/secret" to a servlet container
            return path.regionMatches(true, 0, prefix, 0, prefix.length())
                    && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/'
                    || path.charAt(prefix.length()) == ';');
        }
    }

    public PolicySnapshot(String version, List<App> apps) {
        this(version, apps, NetworkSegments.NONE);
    }

    public PolicySnapshot(String version, List<App> apps, NetworkSegments segments) {
        this(version, apps, segments, BreakoutPolicy.NONE);
    }

    public PolicySnapshot(String version, List<App> apps, NetworkSegments segments, BreakoutPolicy breakout) {
        this.version = Objects.requireNonNull(version, "version");
        this.segments = Objects.requireNonNull(segments, "segments");
        this.breakout = Objects.requireNonNull(breakout, "breakout");
        Map<String, App> byId = new LinkedHashMap<>();
        Map<String, List<Route>> byHost = new HashMap<>();
        for (App app : apps) {
            if (byId.putIfAbsent(app.id(), app) != null) {
                throw new IllegalArgumentException("duplicate app id " + app.id());
            }
            for (String host : app.hosts()) {
                List<Route> routes = byHost.computeIfAbsent(host.toLowerCase(Locale.ROOT), h -> new ArrayList<>());
                for (String prefix : app.pathPrefixes()) {
                    for (Route existing : routes) {
                        if (existing.prefix.equalsIgnoreCase(prefix)) {
                            throw new IllegalArgumentException("apps " + existing.app.id() + " and " + app.id()
                                    + " both claim " + host + prefix);
                        }
                    }
                    routes.add(new Route(prefix, app));
                }
            }
        }
        Map<String, Route[]> table = new HashMap<>();
        byHost.forEach((host, routes) -> {
            routes.sort(Comparator.comparingInt((Route r) -> r.prefix.length()).reversed());
            table.put(host, routes.toArray(new Route[0]));
        });
        this.appsById = Map.copyOf(byId);
        this.routesByHost = Map.copyOf(table);
        this.orderedIds = List.copyOf(byId.keySet());
    }

    /** An empty policy: every request is refused as app-unknown. */
    public static PolicySnapshot empty(String version) {
        return new PolicySnapshot(version, List.of());
    }

    /** The network segments requests are placed in. */
    public NetworkSegments segments() {
        return segments;
    }

    /** The local-breakout allowlist and its parent proxies; {@link BreakoutPolicy#NONE} when the policy has none. */
    public BreakoutPolicy breakout() {
        return breakout;
    }

    public String version() {
        return version;
    }

    /**
     * The app that serves {@code path} on {@code host}.
     *
     * @param host a lower-case host name without port
     * @param path a canonical path starting with {@code /}
     */
    public Optional<App> route(String host, String path) {
        Route[] routes = routesByHost.get(host);
        if (routes != null) {
            for (Route route : routes) {
                if (route.matches(path)) {
                    return Optional.of(route.app);
                }
            }
        }
        return Optional.empty();
    }

    /** True when some app answers on this host (whatever its paths). */
    public boolean servesHost(String host) {
        return routesByHost.containsKey(host);
    }

    public Optional<App> app(String id) {
        return Optional.ofNullable(appsById.get(id));
    }

    /** Every app, in the order the policy declares them. */
    public List<App> apps() {
        List<App> apps = new ArrayList<>(orderedIds.size());
        for (String id : orderedIds) {
            apps.add(appsById.get(id));
        }
        return apps;
    }
}
