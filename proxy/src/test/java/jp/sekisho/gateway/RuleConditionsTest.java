package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rules on paths and methods, from the outside: a deny rule on a path cannot be walked around
 * by any spelling of that path an upstream would read as the same.
 */
class RuleConditionsTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    private String token;

    @BeforeEach
    void start() throws Exception {
        String yaml = proxy.config("");
        String clerks = "      - id: clerks\n        groups: [shimin-ka]\n";
        assertTrue(yaml.contains(clerks));
        proxy.start(yaml.replace(clerks, clerks + """
                    deny:
                      - id: no-export
                        paths: [/export/**]
                      - id: no-delete
                        methods: [DELETE]
                """));
        token = "Bearer " + proxy.idp.token("sato", "shimin-ka");
    }

    private String send(String method, String target) throws Exception {
        return RawHttp.exchange(proxy.port(), method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + token + "\r\nConnection: close\r\n\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/export/a.csv", "/EXPORT/a.csv", "/Export/a.csv", "/export;jsessionid=1/a.csv",
            "/%65xport/a.csv", "/%EF%BD%85xport/a.csv", "/docs/../export/a.csv", "//export/a.csv", "/export",
            "/export/"})
    void aDenyRuleOnAPathHoldsForEverySpellingOfIt(String target) throws Exception {
        String answer = send("GET", target);
        int status = RawHttp.status(answer);
        assertTrue(status == 403 && answer.contains("denied-by-rule") || status == 400, target + " → " + answer);
        assertEquals(List.of(), proxy.upstream.received(), target + " reached the upstream");
    }

    @Test
    void pathsBesideTheDeniedOneAndOtherMethodsStillPass() throws Exception {
        assertEquals(200, RawHttp.status(send("GET", "/exports/a.csv")));
        assertEquals(200, RawHttp.status(send("POST", "/docs/a")));
        String delete = send("DELETE", "/docs/a");
        assertEquals(403, RawHttp.status(delete), delete);
        assertTrue(delete.contains("denied-by-rule"), delete);
        assertEquals(List.of("/exports/a.csv", "/docs/a"), proxy.upstream.received().stream().map(r -> r.uri()).toList());
    }
}
