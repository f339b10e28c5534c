package jp.sekisho.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import jp.sekisho.testing.ConsoleBrowser;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A fresh demo and a browser for each console test, handed to the test as parameters
 * ({@code void test(ConsoleDemo demo, ConsoleBrowser browser)}), and both closed after it.
 */
final class ConsoleSession implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConsoleSession.class);

    private record Session(Path dir, ConsoleDemo demo, ConsoleBrowser browser) {
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Path dir = Files.createTempDirectory("sekisho-console");
        ConsoleDemo demo = ConsoleDemo.start(dir);
        context.getStore(NAMESPACE).put(Session.class, new Session(dir, demo, ConsoleBrowser.start()));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Session session = context.getStore(NAMESPACE).remove(Session.class, Session.class);
        try {
            session.browser().close();
        } finally {
            session.demo().close();
            try (Stream<Path> files = Files.walk(session.dir())) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ConsoleDemo.class || type == ConsoleBrowser.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Session session = context.getStore(NAMESPACE).get(Session.class, Session.class);
        return parameter.getParameter().getType() == ConsoleDemo.class ? session.demo() : session.browser();
    }
}
