package jp.sekisho.policy.source;

import java.util.Objects;

/**
 * One thing wrong with a configuration file, located so a person can go straight to it.
 *
 * @param file    the file's name as given by the operator
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param path    the field's path, e.g. {@code apps[0].upstream}; empty for the whole file
 * @param message what is wrong and what is allowed
 */
public record ConfigError(String file, int line, int column, String path, String message) {

    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:col: path: message}, the form editors and CI logs link to. */
    @Override
    public String toString() {
        String where = path.isEmpty() ? "" : path + ": ";
        return file + ":" + line + ":" + column + ": " + where + message;
    }
}
