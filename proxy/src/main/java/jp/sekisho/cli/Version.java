package jp.sekisho.cli;

import picocli.CommandLine;

/** The version printed by {@code sekisho --version}, from the jar's manifest. */
final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = SekishoCli.class.getPackage().getImplementationVersion();
        return new String[] {"sekisho " + (version == null ? "development build" : version)};
    }
}
