package jp.sekisho.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** With audit.queryString: names, auditors see which parameters a search used, never their values. */
class QueryNamesTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "name=%E5%B1%B1%E7%94%B0&dob=1970-01-01 | name=*&dob=*",
            "q                                      | q=*",
            "a=1&&b=2&                              | a=*&b=*",
            "token=eyJhbGciOi=x                     | token=*"})
    void valuesAreMasked(String query, String recorded) {
        assertEquals(recorded, QueryNames.masked(query));
    }

    @Test
    void theRecordCarriesTheMaskedQueryWhenConfigured() throws Exception {
        proxy.start(proxy.config("audit: {queryString: names}"));

        proxy.get("127.0.0.1", "/records?name=%E5%B1%B1%E7%94%B0&dob=1970", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"));

        JsonObject record = new JsonObject(proxy.stopAndReadAudit().get(0));
        assertEquals("/records", record.getString("path"));
        assertEquals("name=*&dob=*", record.getString("query"));
    }
}
