import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;

/**
 * The framework's floor for bench/run: Vert.x and vertx-http-proxy (the versions Sekisho ships)
 * relaying to the upstream on one event loop, with nothing checked, counted or recorded.
 * What Sekisho costs above this is its own work; what this costs above nginx is the framework's.
 * Run in source-file mode with the proxy jar on the class path:
 *   java -cp proxy/target/sekisho.jar bench/tools/BareProxy.java LISTEN_PORT UPSTREAM_PORT
 */
public class BareProxy {
    public static void main(String[] args) {
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true)).build();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(256));
        HttpProxy proxy = HttpProxy.reverseProxy(client).origin(Integer.parseInt(args[1]), "127.0.0.1");
        vertx.createHttpServer().requestHandler(proxy).listen(Integer.parseInt(args[0]), "127.0.0.1").await();
        System.out.println("bare Vert.x proxy on " + args[0] + " (" + (vertx.isNativeTransportEnabled() ? "epoll" : "NIO")
                + ")");
    }
}
