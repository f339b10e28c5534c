package jp.sekisho.policy.mfa;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The canonical authentication methods (RFC 8176 names) and the factor class of each.
 *
 * <p>{@code mfa} says only that several factors were used, not which: it satisfies a
 * requirement for two factor classes but never a requirement naming a method.
 */
public final class AuthMethods {

    public static final String MFA = "mfa";

    private static final Map<String, FactorClass> CLASSES = Map.ofEntries(
            Map.entry("pwd", FactorClass.KNOWLEDGE),
            Map.entry("pin", FactorClass.KNOWLEDGE),
            Map.entry("kba", FactorClass.KNOWLEDGE),
            Map.entry("otp", FactorClass.POSSESSION),
            Map.entry("sms", FactorClass.POSSESSION),
            Map.entry("tel", FactorClass.POSSESSION),
            Map.entry("hwk", FactorClass.POSSESSION),
            Map.entry("swk", FactorClass.POSSESSION),
            Map.entry("sc", FactorClass.POSSESSION),
            Map.entry("pop", FactorClass.POSSESSION),
            Map.entry("rsa", FactorClass.POSSESSION),
            Map.entry("face", FactorClass.INHERENCE),
            Map.entry("fpt", FactorClass.INHERENCE),
            Map.entry("iris", FactorClass.INHERENCE),
            Map.entry("retina", FactorClass.INHERENCE),
            Map.entry("vbm", FactorClass.INHERENCE));

    private AuthMethods() {
    }

    /** True for a method a policy may name: an RFC 8176 value with a factor class, or mfa. */
    public static boolean isKnown(String method) {
        return CLASSES.containsKey(method) || MFA.equals(method);
    }

    /** Every method a policy may name, for error messages. */
    public static Set<String> known() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(CLASSES.keySet());
        all.add(MFA);
        return all;
    }

    /** How many distinct factor classes the methods prove ({@code mfa} alone counts as two). */
    public static int factorClasses(Set<String> methods) {
        EnumSet<FactorClass> classes = EnumSet.noneOf(FactorClass.class);
        for (String method : methods) {
            FactorClass c = CLASSES.get(method);
            if (c != null) {
                classes.add(c);
            }
        }
        int count = classes.size();
        return methods.contains(MFA) ? Math.max(count, 2) : count;
    }
}
