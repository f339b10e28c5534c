package jp.sekisho.policy.breakout.m365;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of Microsoft's endpoint sets to import.
 *
 * @param requiredOnly  only the sets Microsoft marks {@code required} (the rest are optional features)
 * @param categories    lower-case categories to keep ({@code optimize}, {@code allow}, {@code default}); empty for all
 * @param serviceAreas  service areas to keep ({@code Exchange}, {@code SharePoint}, {@code Skype}, {@code Common}),
 *                      compared without regard to case; empty for all
 * @param withAddresses list each set's IP ranges as the entry's addresses (clients may then name them directly)
 */
public record M365Options(boolean requiredOnly, Set<String> categories, Set<String> serviceAreas,
                          boolean withAddresses) {

    /** Required sets of every category and area, without addresses. */
    public static final M365Options DEFAULT = new M365Options(true, Set.of(), Set.of(), false);

    public M365Options {
        categories = lowerCase(categories);
        serviceAreas = lowerCase(serviceAreas);
    }

    boolean keeps(boolean required, String category, String serviceArea) {
        return (required || !requiredOnly)
                && (categories.isEmpty() || categories.contains(category.toLowerCase(Locale.ROOT)))
                && (serviceAreas.isEmpty() || serviceAreas.contains(serviceArea.toLowerCase(Locale.ROOT)));
    }

    private static Set<String> lowerCase(Set<String> values) {
        Set<String> out = new TreeSet<>();
        for (String value : values) {
            out.add(value.trim().toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(out);
    }
}
