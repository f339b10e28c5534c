import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.util.Base64;

/**
 * Prints the first RSA key of a JWKS (a URL) as a PEM public key, for HAProxy's jwt_verify.
 * Run in source-file mode with the proxy jar on the class path:
 *   java -cp proxy/target/sekisho.jar bench/tools/JwksToPem.java http://127.0.0.1:18444/jwks
 */
public class JwksToPem {
    public static void main(String[] args) throws Exception {
        JWKSet set = JWKSet.load(URI.create(args[0]).toURL());
        for (JWK key : set.getKeys()) {
            if ("RSA".equals(key.getKeyType().getValue())) {
                byte[] der = key.toRSAKey().toRSAPublicKey().getEncoded();
                System.out.println("-----BEGIN PUBLIC KEY-----");
                System.out.println(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der));
                System.out.println("-----END PUBLIC KEY-----");
                return;
            }
        }
        throw new IllegalStateException("no RSA key in " + args[0]);
    }
}
