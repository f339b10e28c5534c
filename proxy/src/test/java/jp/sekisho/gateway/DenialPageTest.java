package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Optional;
import jp.sekisho.policy.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every reason a person can meet has a page in both languages. */
class DenialPageTest {

    @ParameterizedTest
    @EnumSource(value = Reason.class, mode = EnumSource.Mode.EXCLUDE,
            names = {"USER_ALLOWED", "GROUP_ALLOWED", "PUBLIC_ENDPOINT", "BREAKOUT_ALLOWED", "BREAKOUT_CHAINED"})
    void rendersInJapaneseAndEnglish(Reason reason) {
        String ja = DenialPage.render(reason, "rid-1", Locale.JAPANESE, "", Optional.empty());
        String en = DenialPage.render(reason, "rid-1", Locale.ENGLISH, "", Optional.empty());

        assertTrue(ja.contains("lang=\"ja\"") && ja.contains("問い合わせ番号") && ja.contains("rid-1"), ja);
        assertTrue(en.contains("lang=\"en\"") && en.contains("Request ID") && en.contains("rid-1"), en);
        assertTrue(ja.contains(reason.code()) && en.contains(reason.code()));
        assertTrue(ja.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HIRAGANA),
                "the Japanese page is in Japanese");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"})
    void everyDynamicValueIsEscaped(String hostile) {
        String page = DenialPage.render(Reason.USER_NOT_ALLOWED, hostile, Locale.JAPANESE, hostile, Optional.empty());
        assertFalse(page.contains("<script>alert"), page);
        assertFalse(page.contains("<img"), page);
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "en-US,en;q=0.9", "fr, en;q=0.5"})
    void englishWhenPreferred(String acceptLanguage) {
        assertTrue(DenialPage.language(acceptLanguage).equals(Locale.ENGLISH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ja", "ja-JP,en;q=0.5", "fr", "", "!!garbage!!"})
    void japaneseOtherwise(String acceptLanguage) {
        assertTrue(DenialPage.language(acceptLanguage).equals(Locale.JAPANESE));
    }
}
