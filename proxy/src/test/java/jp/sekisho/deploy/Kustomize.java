package jp.sekisho.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Renders a folder of {@code k8s/} with {@code kubectl kustomize}, the code {@code kubectl apply -k}
 * runs, and reads the output's YAML documents as JSON trees.
 */
final class Kustomize {

    /** The repository: tests run in {@code proxy/}, a run from the top finds {@code k8s/} directly. */
    static final Path REPO = Files.isDirectory(Path.of("k8s")) ? Path.of("").toAbsolutePath()
            : Path.of("").toAbsolutePath().getParent();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** Skips without kubectl on a developer's machine; fails under CI, where a skip would hide a broken manifest. */
    static void requireKubectl() {
        if (available()) {
            return;
        }
        String why = "kubectl is not on PATH, so the Kubernetes manifests in k8s/ were not rendered or checked";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + ". CI must check them: install kubectl (.ci/run tries apt-get install kubectl).");
        }
        System.err.println("!!! SKIPPED: " + why + " (install kubectl to check them) !!!");
        assumeTrue(false, why);
    }

    private static boolean available() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The objects {@code k8s/<dir>} renders to, in kustomize's order. */
    static List<JsonNode> render(String dir) {
        return RENDERED.computeIfAbsent(dir, Kustomize::run);
    }

    private static List<JsonNode> run(String dir) {
        Path path = REPO.resolve("k8s").resolve(dir);
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", path.toString()).start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("kubectl kustomize " + path + " did not finish in 120 s");
            }
            assertEquals(0, p.exitValue(), () -> "kubectl kustomize " + path + " failed:\n" + errors.join());
            return parse(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Multi-document YAML to JSON trees (YAML 1.2 JSON schema: quoted numbers stay strings). */
    static List<JsonNode> parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build())
                .loadAllFromString(yaml)) {
            if (document != null) {
                objects.add(JSON.valueToTree(document));
            }
        }
        return objects;
    }
}
