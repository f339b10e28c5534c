package jp.sekisho.policy.network;

import java.util.Locale;
import java.util.Optional;

/** What a network segment is in the guideline's terms (三層分離, and telework beside it). */
public enum SegmentKind {
    /** LGWAN接続系 */
    LGWAN,
    /** インターネット接続系 */
    INTERNET,
    /** テレワーク (remote terminals) */
    TELEWORK,
    /** マイナンバー利用事務系 */
    MYNUMBER;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SegmentKind> parse(String code) {
        for (SegmentKind kind : values()) {
            if (kind.code().equals(code)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
