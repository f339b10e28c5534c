package jp.sekisho.cli;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.sekisho.audit.AuditKey;
import jp.sekisho.audit.ChainVerifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sekisho audit verify DIR}: the chain, the sequence and every checkpoint signature. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify the hash chain and checkpoint signatures of an audit directory. Exit 0 when whole, "
                + "1 at the first altered, deleted, inserted, reordered or truncated record, 2 on a usage error.")
final class AuditVerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the audit directory (dataDir/audit)")
    Path dir;

    @Option(names = "--public-key", description = "the audit public key (JWK) you hold; default: "
            + "../keys/" + AuditKey.PUBLIC_FILE_NAME + " beside the directory, with a warning")
    Path publicKey;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(dir)) {
            err.println(dir + " is not a directory");
            return 2;
        }
        Path keyFile = publicKey;
        if (keyFile == null) {
            keyFile = dir.toAbsolutePath().getParent().resolve("keys").resolve(AuditKey.PUBLIC_FILE_NAME);
            err.println("warning: using the key found beside the records (" + keyFile + "); whoever could alter "
                    + "the records could replace it too. Pass --public-key with the copy you keep.");
        }
        OctetKeyPair key = AuditKey.readPublic(keyFile);
        ChainVerifier.Report report = new ChainVerifier(key).verify(dir);
        if (report.problem().isPresent()) {
            out.println("NOT VERIFIED: " + report.problem().get());
            out.println(report.records() + " records read before it, in " + report.segments() + " segment(s)");
            out.flush();
            return AuditCommand.TAMPERED;
        }
        out.println("verified: " + report.records() + " records in " + report.segments() + " segment(s), "
                + report.checkpoints() + " signed checkpoint(s) by key " + key.getKeyID());
        if (report.records() > 0) {
            out.println(report.lastSigned() == 0 ? "no record is covered by a signed checkpoint yet"
                    : "last signed checkpoint: seq " + report.lastSigned() + "; " + report.uncovered()
                    + " record(s) after it are chained but not yet signed");
        }
        out.flush();
        return 0;
    }
}
