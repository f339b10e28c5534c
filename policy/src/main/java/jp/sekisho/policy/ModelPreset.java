package jp.sekisho.policy;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.network.SegmentKind;
import jp.sekisho.posture.PostureRequirement;

/**
 * The guideline's network models as per-app presets (総務省 ガイドライン: α, α′ cases 1–3, β,
 * β′). Each expands into which kinds of segment may reach the app, an MFA floor, a posture
 * floor, and file controls (downloads to LGWAN terminals blocked for α′ case 2; case 3 needs
 * sanitising that happens outside Sekisho). Explicit settings may tighten a preset; loosening one
 * needs an override with a reason, which is announced at every load.
 *
 * <p>The floors are Sekisho's reading of the models, documented in docs/policy.md: α keeps
 * to LGWAN terminals; α′ adds cloud use from LGWAN terminals, so MFA and managed devices; β and
 * β′ put terminals on the internet side, so MFA and managed, EDR-watched devices for every
 * app, β′ also compliance and disk encryption.
 */
public enum ModelPreset {
    ALPHA("alpha", EnumSet.of(SegmentKind.LGWAN), false, PostureRequirement.NONE, false, Optional.empty()),
    ALPHA_PRIME_1("alpha-prime-1", EnumSet.of(SegmentKind.LGWAN), true, Floors.MANAGED, false, Optional.empty()),
    ALPHA_PRIME_2("alpha-prime-2", EnumSet.of(SegmentKind.LGWAN), true, Floors.MANAGED, true, Optional.empty()),
    ALPHA_PRIME_3("alpha-prime-3", EnumSet.of(SegmentKind.LGWAN), true, Floors.MANAGED, false,
            Optional.of("files checked and sanitised (無害化) before they reach LGWAN terminals")),
    BETA("beta", EnumSet.of(SegmentKind.INTERNET, SegmentKind.TELEWORK), true, Floors.MANAGED_EDR, false,
            Optional.empty()),
    BETA_PRIME("beta-prime", EnumSet.of(SegmentKind.INTERNET, SegmentKind.TELEWORK), true, Floors.STRONGEST, false,
            Optional.empty());

    /** The MFA an app gets from a preset that requires MFA and says nothing more: two factor classes. */
    public static final MfaRequirement MFA_FLOOR = new MfaRequirement(Set.of(), 2, Optional.empty(),
            java.util.Map.of(), Optional.empty());

    private final String code;
    private final Set<SegmentKind> reach;
    private final boolean mfaRequired;
    private final PostureRequirement postureFloor;
    private final boolean blocksDownloadsToLgwan;
    private final Optional<String> unenforcedFileControls;

    ModelPreset(String code, Set<SegmentKind> reach, boolean mfaRequired, PostureRequirement postureFloor,
                boolean blocksDownloadsToLgwan, Optional<String> unenforcedFileControls) {
        this.code = code;
        this.reach = Set.copyOf(reach);
        this.mfaRequired = mfaRequired;
        this.postureFloor = postureFloor;
        this.blocksDownloadsToLgwan = blocksDownloadsToLgwan;
        this.unenforcedFileControls = unenforcedFileControls;
    }

    public String code() {
        return code;
    }

    /** The kinds of segment requests may come from. */
    public Set<SegmentKind> reach() {
        return reach;
    }

    public boolean mfaRequired() {
        return mfaRequired;
    }

    public PostureRequirement postureFloor() {
        return postureFloor;
    }

    /** α′ case 2: files are not downloaded to LGWAN terminals (case 3 lets sanitised files through). */
    public boolean blocksDownloadsToLgwan() {
        return blocksDownloadsToLgwan;
    }

    /** File controls the model needs that Sekisho cannot enforce itself, when there are any. */
    public Optional<String> unenforcedFileControls() {
        return unenforcedFileControls;
    }

    public static Optional<ModelPreset> parse(String code) {
        for (ModelPreset preset : values()) {
            if (preset.code.equals(code)) {
                return Optional.of(preset);
            }
        }
        return Optional.empty();
    }

    /** Posture floors, spelt once. */
    private static final class Floors {
        static final PostureRequirement MANAGED = new PostureRequirement(false, true, false, false, Optional.empty(),
                false, false, java.util.Map.of(), Optional.empty(), Optional.empty());
        static final PostureRequirement MANAGED_EDR = new PostureRequirement(false, true, false, true,
                Optional.empty(), false, false, java.util.Map.of(), Optional.empty(), Optional.empty());
        static final PostureRequirement STRONGEST = new PostureRequirement(false, true, true, true, Optional.empty(),
                true, false, java.util.Map.of(), Optional.empty(), Optional.empty());
    }
}
