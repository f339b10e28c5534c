package jp.sekisho.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real Keycloak for end-to-end tests: the distribution from Maven Central, unpacked under
 * target/, started in dev mode on a free loopback port with a realm imported from a test file,
 * using a Java 21+ JDK found under /usr/lib/jvm (Keycloak needs it; the build itself is on 17).
 */
public final class Keycloak implements AutoCloseable {

    private final Process process;
    private final int port;

    private Keycloak(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A JDK of version 21 or later on this machine, from KEYCLOAK_JAVA_HOME or /usr/lib/jvm. */
    public static Optional<Path> findJdk21() throws IOException {
        String configured = System.getenv("KEYCLOAK_JAVA_HOME");
        if (configured != null) {
            return Optional.of(Path.of(configured));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("release")) && Files.isExecutable(d.resolve("bin/java")))
                    .filter(d -> majorVersion(d) >= 21)
                    .max(Comparator.comparingInt(Keycloak::majorVersion));
        }
    }

    private static int majorVersion(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Unpacks (once), imports {@code realmResource} and starts; returns when Keycloak is listening. */
    public static Keycloak start(Path jdk, String realmResource) throws Exception {
        Path home = Path.of(System.getProperty("keycloak.home"));
        Path zip = Path.of(System.getProperty("keycloak.zip"));
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            unzip(zip, home);
        }
        Path data = home.resolve("data");
        deleteTree(data); // a fresh realm every run
        Path importDir = Files.createDirectories(data.resolve("import"));
        try (InputStream realm = Keycloak.class.getResourceAsStream(realmResource)) {
            Files.copy(realm, importDir.resolve("realm.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--import-realm", "--cache=local",
                "--http-management-port=" + freePort())
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", jdk.toString());
        builder.environment().put("JAVA_OPTS_APPEND", "-Xmx768m");
        Process process = builder.start();
        Path log = home.getParent().resolve("keycloak.log");
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> readLog(process, log, started), "keycloak-log");
        reader.setDaemon(true);
        reader.start();
        boolean ok;
        try {
            ok = started.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            ok = false;
        }
        if (!ok) {
            process.destroyForcibly();
            throw new IllegalStateException("Keycloak did not start; see " + log);
        }
        return new Keycloak(process, port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void readLog(Process process, Path log, CompletableFuture<Boolean> started) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                out.flush();
                if (line.contains("Listening on: http://127.0.0.1")) {
                    started.complete(true);
                }
            }
        } catch (IOException e) {
            started.complete(false);
        }
        started.complete(false);
    }

    public String issuer(String realm) {
        return "http://127.0.0.1:" + port + "/realms/" + realm;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static void unzip(Path zip, Path home) throws IOException {
        Path parent = home.getParent();
        Files.createDirectories(parent);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            var entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = parent.resolve(entry.getName()).normalize();
                if (!target.startsWith(parent)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
