package jp.sekisho.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every record carries the body's 団体コード, and a mistyped code is refused before it files records under another body. */
class TenantCodeTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @ParameterizedTest
    @ValueSource(strings = {"011002", "130001", "131016", "271004", "472018"}) // 札幌市, 東京都, 千代田区, 大阪市, 那覇市
    void realCodesPass(String code) {
        assertTrue(TenantCode.isValid(code));
    }

    @ParameterizedTest
    @ValueSource(strings = {"011003", "130000", "13101", "1310160", "13101a"})
    void aWrongCheckDigitOrLengthFails(String code) {
        assertFalse(TenantCode.isValid(code));
    }

    @Test
    void aMistypedCodeIsRefusedWithTheDigitItShouldHave() throws Exception {
        Path file = proxy.writeConfig(proxy.config("audit: {tenant: \"131017\"}"));

        ConfigException refused = assertThrows(ConfigException.class, () -> new ConfigLoader().load(file));

        assertTrue(refused.errors().toString().contains("audit.tenant: '131017' is not a 団体コード: its check digit"
                + " should be 6 (131016)"), refused.errors().toString());
    }

    @Test
    void everyRecordCarriesTheCode() throws Exception {
        proxy.start(proxy.config("audit: {tenant: \"131016\"}"));

        proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + proxy.idp.token("sato", "shimin-ka"));

        assertEquals("131016", new JsonObject(proxy.stopAndReadAudit().get(0)).getString("tenant"));
    }
}
