package jp.sekisho.cli;

import java.util.Map;
import jp.sekisho.audit.export.CsvExport;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --headers} and {@code --encoding}: the language of column headers and the CSV's character set. */
final class CsvOptions {

    @Option(names = "--headers", defaultValue = "ja", description = "column headers: ja (default) or en")
    String headers;

    @Option(names = "--encoding", defaultValue = "utf-8", description = "CSV only: utf-8 (with a BOM, default) "
            + "or cp932")
    String encoding;

    CsvExport.Headers headers(CommandLine.Model.CommandSpec spec) {
        return AuditCommand.choice(spec, "--headers", headers, Map.of("ja", CsvExport.Headers.JA, "en",
                CsvExport.Headers.EN));
    }

    CsvExport.Encoding encoding(CommandLine.Model.CommandSpec spec) {
        return AuditCommand.choice(spec, "--encoding", encoding, Map.of("utf-8", CsvExport.Encoding.UTF_8, "cp932",
                CsvExport.Encoding.CP932));
    }
}
