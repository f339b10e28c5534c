package jp.sekisho.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import jp.sekisho.policy.PolicyEngine;
import jp.sekisho.posture.DevicePosture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The policy and device-posture modules stay pure: no Vert.x, no files, no sockets. Their
 * compiled classes are read and every reference they make is checked.
 */
class ModulePurityTest {

    private static final List<String> FORBIDDEN = List.of(
            "io/vertx/", "io/netty/", "java/io/File", "java/nio/file/", "java/nio/channels/", "java/net/Socket",
            "java/net/ServerSocket", "java/net/http/", "java/net/URL", "java/sql/", "java/lang/Thread",
            "java/util/logging/", "java/lang/System$Logger");

    @ParameterizedTest
    @ValueSource(strings = {"policy", "device-posture"})
    void moduleReferencesNoIoAndNoVertx(String module) throws Exception {
        Class<?> anchor = module.equals("policy") ? PolicyEngine.class : DevicePosture.class;
        List<String> violations = new ArrayList<>();
        int classes = 0;
        for (ClassBytes c : classesOf(anchor)) {
            classes++;
            String constantPool = new String(c.bytes, StandardCharsets.ISO_8859_1);
            for (String forbidden : FORBIDDEN) {
                if (constantPool.contains(forbidden)) {
                    violations.add(c.name + " refers to " + forbidden);
                }
            }
        }
        assertEquals(List.of(), violations);
        assertEquals(true, classes > 0, "read the module's classes");
    }

    private record ClassBytes(String name, byte[] bytes) {
    }

    private static List<ClassBytes> classesOf(Class<?> anchor) throws IOException, URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<ClassBytes> out = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    out.add(new ClassBytes(location.relativize(file).toString(), Files.readAllBytes(file)));
                }
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().endsWith(".class")) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            out.add(new ClassBytes(entry.getName(), in.readAllBytes()));
                        }
                    }
                }
            }
        }
        return out;
    }
}
