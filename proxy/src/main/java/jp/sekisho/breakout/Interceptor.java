package jp.sekisho.breakout;

import io.vertx.core.Future;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.util.Map;

/**
 * Opens TLS for a tenant-restriction login host: the tunnel is relayed into a socket whose other
 * end terminates the client's TLS, adds the headers, and re-encrypts to {@code address}.
 */
@FunctionalInterface
public interface Interceptor {

    Future<NetSocket> open(String host, int port, InetAddress address, Map<String, String> headers);
}
