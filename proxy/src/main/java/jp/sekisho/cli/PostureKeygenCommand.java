package jp.sekisho.cli;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.sekisho.storage.PrivateFiles;
import jp.sekisho.storage.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sekisho posture keygen}: the posture service's signing key, and the public JWKS the proxy trusts. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Create an ES256 signing key for a posture service (kept private) and its public JWK Set"
                + " (give that file to the proxy as devicePosture.issuers[].jwksFile).")
final class PostureKeygenCommand implements Callable<Integer> {

    @Option(names = "--key", required = true, description = "private key file to create (JWK, owner-readable)")
    Path key;

    @Option(names = "--jwks", required = true, description = "public JWK Set file to write")
    Path jwks;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(key)) {
            System.err.println(key + " exists: not overwriting a signing key (delete it first to replace it)");
            return 1;
        }
        ECKey created = SigningKeys.loadOrCreate(key, "posture signing");
        PrivateFiles.write(jwks, new JWKSet(created.toPublicJWK()).toString() + "\n");
        System.out.printf("created %s (private, key id %s) and %s (public)%n", key, created.getKeyID(), jwks);
        return 0;
    }
}
