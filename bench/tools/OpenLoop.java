import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator for bench/run's RATE mode: requests leave on a fixed schedule
 * (RATE per second, whatever the answers do), and each latency is measured from the moment its
 * request was due, so a stall is not hidden by fewer requests being sent during it.
 * The first WARMUP seconds run at the same rate and are not measured (this JVM warms up too).
 * Prints one line: answered req/s, p50 ms, p99 ms, and the number of errors (non-2xx, failures).
 * Run in source-file mode with the proxy jar (Vert.x, HdrHistogram) on the class path:
 *   java -cp proxy/target/sekisho.jar bench/tools/OpenLoop.java URL RATE WARMUP SECONDS CONNECTIONS [-H "Name: value"]...
 */
public class OpenLoop {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        List<String[]> headers = new ArrayList<>();
        String host = url.getHost();
        for (int i = 5; i + 1 < args.length; i += 2) {
            String[] header = args[i + 1].split(":\\s*", 2);
            if (header[0].equalsIgnoreCase("host")) {
                host = header[1];
            } else {
                headers.add(header);
            }
        }
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true)).build();
        HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(url.getPort(), url.getHost()))
                .setHost(host).setPort(url.getPort()).setURI(url.getRawPath().isEmpty() ? "/" : url.getRawPath());
        Histogram latencies = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        long total = (long) rate * (warmup + seconds);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        long measuredFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long[] counts = new long[4]; // sent, answered, errors, answered in the measured part (one event loop)
        CountDownLatch finished = new CountDownLatch(1);
        io.vertx.core.Context context = vertx.getOrCreateContext();
        // A pacing thread of its own: a millisecond timer would send in bursts and add its own delay.
        Thread pacer = new Thread(() -> {
            for (long i = 0; i < total; i++) {
                long intended = start + i * intervalNanos;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                context.runOnContext(v -> send(client, options, headers, intended, measuredFrom, latencies, counts,
                        total, finished));
            }
        }, "pacer");
        pacer.start();
        boolean done = finished.await(warmup + seconds + 60L, TimeUnit.SECONDS);
        System.out.printf("%.0f %.2f %.2f %d%n", (double) counts[3] / seconds, latencies.getValueAtPercentile(50) / 1e6,
                latencies.getValueAtPercentile(99) / 1e6, counts[2] + (done ? 0 : total - counts[1]));
        vertx.close().await();
    }

    private static void send(HttpClientAgent client, RequestOptions options, List<String[]> headers, long intended,
                             long measuredFrom, Histogram latencies, long[] counts, long total, CountDownLatch finished) {
        counts[0]++;
        client.request(options).compose(request -> {
            for (String[] header : headers) {
                request.putHeader(header[0], header[1]);
            }
            return request.send();
        }).compose(response -> response.body().map(body -> response.statusCode())).onComplete(answer -> {
            if (intended >= measuredFrom) {
                counts[3]++;
                if (answer.succeeded() && answer.result() / 100 == 2) {
                    latencies.recordValue(Math.max(0, System.nanoTime() - intended));
                } else {
                    counts[2]++;
                }
            }
            if (++counts[1] == total) {
                finished.countDown();
            }
        });
    }
}
