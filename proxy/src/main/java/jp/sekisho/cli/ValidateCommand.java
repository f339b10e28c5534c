package jp.sekisho.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.config.LoadedConfig;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sekisho validate}: checks a configuration without starting anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a configuration file. Exit 0 when valid, 2 with every error as file:line:col: path: message.")
final class ValidateCommand implements Callable<Integer> {

    static final int INVALID = 2;

    @Option(names = {"-c", "--config"}, required = true, description = "the configuration file")
    Path config;

    @Override
    public Integer call() {
        try {
            LoadedConfig loaded = new ConfigLoader().load(config);
            System.out.printf("%s: valid (policy %s, %d apps, %d issuers)%n", config,
                    loaded.policy().version(), loaded.policy().apps().size(), loaded.settings().issuers().size());
            return 0;
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println(error);
            }
            System.err.printf("%s: %d error(s)%n", config, e.errors().size());
            return INVALID;
        }
    }
}
