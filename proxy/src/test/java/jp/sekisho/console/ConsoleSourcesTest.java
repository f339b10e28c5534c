package jp.sekisho.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the console's files must never do, read from the files themselves: build markup from
 * strings (XSS), run inline code or styles (the page's CSP forbids them and would break the
 * page), load anything from another origin (closed LGWAN networks; no CDN), or use a word that
 * one of its languages lacks.
 */
class ConsoleSourcesTest {

    static final Path CONSOLE = Paths.get("src/main/resources/jp/sekisho/console");

    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> all = Files.walk(CONSOLE)) {
            return all.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void noScriptBuildsMarkupFromStringsOrEvaluatesText() throws IOException {
        Pattern sinks = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function\\("
                + "|setTimeout\\(\\s*['\"`]|createContextualFragment|DOMParser");
        List<String> found = new ArrayList<>();
        for (Path file : files(".js")) {
            Matcher m = sinks.matcher(read(file));
            while (m.find()) {
                found.add(CONSOLE.relativize(file) + ": " + m.group());
            }
        }
        Matcher vendor = Pattern.compile("\\beval\\(|new Function\\(").matcher(read(CONSOLE.resolve("vendor/js-yaml.mjs")));
        assertFalse(vendor.find(), "the vendored YAML library evaluates no text");
        assertEquals(List.of(), found, "markup only through createElement/textContent (dom.js)");
    }

    @Test
    void thePageHasNoInlineCodeOrStyleAndLoadsNothingFromElsewhere() throws IOException {
        String html = read(CONSOLE.resolve("index.html"));
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(html).find(), "no inline script");
        assertFalse(Pattern.compile("<style|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no inline style or event handler attribute");
        List<String> external = new ArrayList<>();
        Pattern remote = Pattern.compile("(?:src|href)=\"(?:https?:)?//|@import|url\\(\\s*['\"]?(?:https?:)?//|import[^;]*from\\s*['\"]https?:");
        for (Path file : Stream.of(files(".html"), files(".css"), files(".js"), files(".mjs")).flatMap(List::stream).toList()) {
            if (remote.matcher(read(file)).find()) {
                external.add(CONSOLE.relativize(file).toString());
            }
        }
        assertEquals(List.of(), external, "everything is served by Sekisho itself");
        for (Path file : files(".js")) {
            assertFalse(Pattern.compile("\\.style\\.|setAttribute\\(\\s*'style'").matcher(read(file)).find(),
                    CONSOLE.relativize(file) + " sets no inline style (the CSP refuses style attributes)");
        }
    }

    @Test
    void theTokenLivesInSessionStorageOnlyAndNeverInACookie() throws IOException {
        for (Path file : files(".js")) {
            String text = read(file);
            assertFalse(text.contains("document.cookie"), CONSOLE.relativize(file) + " touches no cookie");
            assertFalse(text.contains("credentials: 'include'"), CONSOLE.relativize(file) + " sends no cookie");
        }
        String auth = read(CONSOLE.resolve("auth.js"));
        assertTrue(auth.contains("export const TOKEN_KEY = 'sekisho.console.token'"));
        assertFalse(Pattern.compile("localStorage\\.setItem\\(TOKEN_KEY").matcher(auth).find());
    }

    @Test
    void everyWordTheScriptsUseIsInBothLanguages() throws IOException {
        String i18n = read(CONSOLE.resolve("i18n.js"));
        Set<String> ja = keys(i18n.substring(i18n.indexOf("const ja = {"), i18n.indexOf("const en = {")));
        Set<String> en = keys(i18n.substring(i18n.indexOf("const en = {"), i18n.indexOf("export const DICTIONARIES")));
        assertEquals(ja, en, "the Japanese and English dictionaries have the same words");
        Set<String> used = new TreeSet<>();
        Pattern call = Pattern.compile("\\bt\\('([a-zA-Z]+\\.[a-zA-Z.-]+|brand|skip|loading|signout)'");
        for (Path file : files(".js")) {
            Matcher m = call.matcher(read(file));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        used.removeAll(ja);
        assertEquals(Set.of(), used, "words used but missing from the dictionaries");
    }

    private static Set<String> keys(String block) {
        Set<String> keys = new TreeSet<>();
        Matcher m = Pattern.compile("^\\s+'([^']+)':", Pattern.MULTILINE).matcher(block);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }
}
