package jp.sekisho.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * One audit record as one RFC 5424 syslog message, framed by octet counting (RFC 6587
 * §3.4.1: {@code LEN SP MSG}). The MSG is the record's line exactly as chained on disk, so a
 * receiver keeps a copy that {@code audit verify} can still check; the record's {@code seq} is
 * also in the structured data, for a receiver to drop the duplicates a resend may bring.
 */
final class SyslogMessage {

    /** Private enterprise number used in the structured-data id. */
    static final String SD_ID = "sekisho@32473";

    static final Map<String, Integer> FACILITIES = Map.ofEntries(Map.entry("auth", 4), Map.entry("authpriv", 10),
            Map.entry("audit", 13), Map.entry("local0", 16), Map.entry("local1", 17), Map.entry("local2", 18),
            Map.entry("local3", 19), Map.entry("local4", 20), Map.entry("local5", 21), Map.entry("local6", 22),
            Map.entry("local7", 23));

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final JsonFactory JSON = new JsonFactory();

    private final int facility;
    private final String hostname;

    SyslogMessage(int facility, String hostname) {
        this.facility = facility;
        this.hostname = hostname(hostname);
    }

    /** The frame for one record line. */
    byte[] frame(long seq, String line) {
        Fields fields = Fields.of(line);
        String head = "<" + (facility * 8 + severity(fields)) + ">1 " + timestamp(fields.time) + " " + hostname
                + " sekisho - " + msgId(fields.kind) + " [" + SD_ID + " seq=\"" + seq + "\""
                + param("requestId", fields.requestId) + param("actionId", fields.actionId) + "] ";
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        byte[] body = line.getBytes(StandardCharsets.UTF_8);
        int length = headBytes.length + BOM.length + body.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 8);
        out.writeBytes((length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(headBytes);
        out.writeBytes(BOM); // RFC 5424 §6.4: a UTF-8 MSG begins with the BOM
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Informational for allowed requests and the trail's own records, notice for refusals, warning for operators' actions and recoveries. */
    static int severity(Fields fields) {
        return switch (fields.kind == null ? "" : fields.kind) {
            case "access", "decision" -> "allow".equals(fields.decision) ? 6 : 5;
            case "admin", "recovery" -> 4;
            default -> 6;
        };
    }

    private static String timestamp(String time) {
        if (time == null) {
            return "-";
        }
        try {
            return OffsetDateTime.parse(time).format(TIMESTAMP);
        } catch (DateTimeParseException e) {
            return "-";
        }
    }

    private static String msgId(String kind) {
        return kind == null || kind.isEmpty() || kind.length() > 32 || !kind.matches("[!-~]+") ? "-" : kind;
    }

    private static String param(String name, String value) {
        if (value == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                escaped.append('\\'); // RFC 5424 §6.3.3
            }
            escaped.append(c);
        }
        return " " + name + "=\"" + escaped + "\"";
    }

    /** HOSTNAME is printable US-ASCII without spaces, at most 255 characters. */
    static String hostname(String name) {
        if (name == null || name.isEmpty() || name.length() > 255 || !name.matches("[!-~]+")) {
            return "-";
        }
        return name;
    }

    /** The top-level fields a message is built from. */
    record Fields(String kind, String time, String decision, String requestId, String actionId) {

        static Fields of(String line) {
            String kind = null;
            String time = null;
            String decision = null;
            String requestId = null;
            String actionId = null;
            try (JsonParser p = JSON.createParser(line)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return new Fields(null, null, null, null, null);
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.VALUE_STRING) {
                        switch (name) {
                            case "kind" -> kind = p.getText();
                            case "time" -> time = p.getText();
                            case "decision" -> decision = p.getText();
                            case "requestId" -> requestId = p.getText();
                            case "actionId" -> actionId = p.getText();
                            default -> { }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            } catch (IOException e) {
                // a line that is not whole JSON is still sent, with what was read of it
            }
            return new Fields(kind, time, decision, requestId, actionId);
        }
    }
}
