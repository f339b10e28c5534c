package jp.sekisho.policy.summary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.App;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.network.NetworkSegments;
import jp.sekisho.posture.PostureRequirement;

/**
 * One line that says what an app asks of the people who use it, in the words of a 情報システム課
 * rather than of the YAML: from where, how strongly signed in, on what device — for example
 * 「LGWAN接続系から、顔認証またはOTP(15分以内)、管理端末のみ」. Pure; derived from the compiled app,
 * so it always says what the policy enforces (presets and defaults included).
 *
 * @param segments the segment ids some allow rule admits from; empty when a rule admits from anywhere
 * @param ja       the summary in Japanese
 * @param en       the summary in English
 */
public record AppSummary(Set<String> segments, String ja, String en) {

    private static final Map<String, String[]> METHODS = Map.of(
            "face", new String[] {"顔認証", "face recognition"},
            "otp", new String[] {"OTP", "OTP"},
            "hwk", new String[] {"ハードウェアキー", "a hardware key"},
            "swk", new String[] {"ソフトウェアキー", "a software key"},
            "fpt", new String[] {"指紋認証", "fingerprint"},
            "pin", new String[] {"PIN", "a PIN"},
            "sms", new String[] {"SMS", "SMS"},
            "pwd", new String[] {"パスワード", "a password"},
            "mfa", new String[] {"多要素認証", "multi-factor authentication"});

    public static AppSummary of(App app, NetworkSegments segments) {
        Set<String> from = new LinkedHashSet<>();
        boolean anywhere = app.rules().isEmpty();
        for (AllowRule rule : app.rules()) {
            if (rule.segments().isEmpty() && rule.where().sources().isEmpty()) {
                anywhere = true;
            }
            from.addAll(rule.segments());
        }
        if (anywhere) {
            from.clear();
        }
        List<String> ja = new ArrayList<>();
        List<String> en = new ArrayList<>();
        if (from.isEmpty()) {
            ja.add(anywhere ? "どのネットワークからでも" : "指定の接続元アドレスから");
            en.add(anywhere ? "from any network" : "from the listed source addresses");
        } else {
            List<String> names = new ArrayList<>();
            for (String id : from) {
                names.add(segmentName(segments, id));
            }
            ja.add(String.join("・", names) + "から");
            en.add("from " + String.join(" or ", names));
        }
        mfa(app.mfa(), ja, en);
        posture(app.posture(), ja, en);
        return new AppSummary(from, String.join("、", ja), capitalised(String.join("; ", en)));
    }

    private static void mfa(MfaRequirement mfa, List<String> ja, List<String> en) {
        if (mfa.isNone()) {
            ja.add("多要素認証なし");
            en.add("no multi-factor authentication");
            return;
        }
        // each method with its own window (maxAgeSecondsByMethod), said once when they all share it
        Set<String> methods = new TreeSet<>(mfa.anyOf());
        Set<java.util.Optional<Duration>> windows = new LinkedHashSet<>();
        for (String method : methods) {
            windows.add(window(mfa, method));
        }
        boolean shared = windows.size() <= 1;
        java.util.Optional<Duration> common = shared ? mfa.maxAge() : java.util.Optional.empty();
        String age = common.map(AppSummary::ageJa).map(a -> "(" + a + "以内)").orElse("");
        String ageEn = common.map(AppSummary::ageEn).map(a -> " (within " + a + ")").orElse("");
        if (!methods.isEmpty()) {
            List<String> methodsJa = new ArrayList<>();
            List<String> methodsEn = new ArrayList<>();
            for (String method : methods) {
                String[] names = METHODS.getOrDefault(method, new String[] {method, method});
                java.util.Optional<Duration> own = shared ? java.util.Optional.empty() : window(mfa, method);
                methodsJa.add(names[0] + own.map(a -> "(" + ageJa(a) + "以内)").orElse(""));
                methodsEn.add(names[1] + own.map(a -> " (within " + ageEn(a) + ")").orElse(""));
            }
            ja.add(String.join("または", methodsJa) + age);
            en.add(String.join(" or ", methodsEn) + ageEn);
        } else {
            ja.add("多要素認証" + (mfa.minFactorClasses() > 1 ? "(" + mfa.minFactorClasses() + "要素以上)" : "") + age);
            en.add("multi-factor authentication" + (mfa.minFactorClasses() > 1 ? " (" + mfa.minFactorClasses()
                    + " factors or more)" : "") + ageEn);
        }
    }

    /** How recent a sign-in with {@code method} must be: its own window, else the app's. */
    private static java.util.Optional<Duration> window(MfaRequirement mfa, String method) {
        Duration own = mfa.maxAgeByMethod().get(method);
        return own != null ? java.util.Optional.of(own) : mfa.maxAge();
    }

    private static void posture(PostureRequirement posture, List<String> ja, List<String> en) {
        if (!posture.demandsAnything()) {
            ja.add("端末の条件なし");
            en.add("any device");
            return;
        }
        List<String> partsJa = new ArrayList<>();
        List<String> partsEn = new ArrayList<>();
        if (posture.managed() || posture.compliant()) {
            partsJa.add("管理端末のみ");
            partsEn.add("managed devices only");
        }
        if (posture.certificateRequired()) {
            partsJa.add("端末証明書");
            partsEn.add("a device certificate");
        }
        if (posture.edrRunning()) {
            partsJa.add("EDR 稼働");
            partsEn.add("EDR running");
        }
        if (posture.diskEncrypted()) {
            partsJa.add("ディスク暗号化");
            partsEn.add("disk encrypted");
        }
        if (partsJa.isEmpty()) {
            partsJa.add("端末の条件あり");
            partsEn.add("device conditions");
        }
        ja.add(String.join("・", partsJa));
        en.add(String.join(", ", partsEn));
    }

    private static String segmentName(NetworkSegments segments, String id) {
        for (NetworkSegments.Segment segment : segments.all()) {
            if (segment.id().equals(id)) {
                return segment.name();
            }
        }
        return id;
    }

    private static String ageJa(Duration age) {
        long minutes = age.toMinutes();
        return minutes % 60 == 0 && minutes >= 60 ? minutes / 60 + "時間" : Math.max(1, minutes) + "分";
    }

    private static String ageEn(Duration age) {
        long minutes = age.toMinutes();
        return minutes % 60 == 0 && minutes >= 60 ? minutes / 60 + " h" : Math.max(1, minutes) + " min";
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
