package jp.sekisho.admin;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.List;

/** A unified diff between two texts, as {@code diff -u} shows it (three lines of context). */
public final class PolicyDiff {

    private PolicyDiff() {
    }

    public static String unified(String fromName, String from, String toName, String to) {
        List<String> before = from.lines().toList();
        List<String> after = to.lines().toList();
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, before,
                DiffUtils.diff(before, after), 3);
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
