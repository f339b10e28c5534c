package jp.sekisho.breakout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;

/** Resolves an allowlisted destination's name to the addresses it may be reached at. */
@FunctionalInterface
public interface DestinationResolver {

    /** Fails (with {@link java.net.UnknownHostException}) when the name does not resolve. */
    Future<List<InetAddress>> resolve(String host);

    /** The operating system's resolver (and the JDK's cache), on a worker thread: it blocks. */
    static DestinationResolver system(Vertx vertx) {
        return host -> vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false);
    }
}
