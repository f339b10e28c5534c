package jp.sekisho.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import jp.sekisho.testing.DeviceCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which certificate field names the device. */
class DeviceCertificatesTest {

    @TempDir
    java.nio.file.Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            CN=LG-PC-0001,CN=Computers,DC=city,DC=lg,DC=jp | LG-PC-0001
            CN=LG-PC-0002,O=Example City,C=JP              | LG-PC-0002
            O=Example City,CN=LG-PC-0003                   | LG-PC-0003
            """)
    void subjectCnIsTheMostSpecificCommonName(String subject, String expected) {
        assertEquals(Optional.of(expected), DeviceCertificates.commonName(new X500Principal(subject)));
    }

    @Test
    void subjectWithoutACommonNameNamesNoDevice() {
        assertEquals(Optional.empty(), DeviceCertificates.commonName(new X500Principal("O=Example City,C=JP")));
    }

    @Test
    void eachSourceReadsItsField() {
        DeviceCa ca = DeviceCa.create("city", dir);
        DeviceCa.Issued device = ca.deviceCertificate("LG-PC-0001");
        assertEquals("LG-PC-0001", new DeviceCertificates(DeviceCertificates.IdSource.SAN_URI, "urn:sekisho:device:")
                .identify(device.certificate()).deviceId());
        assertEquals("urn:sekisho:device:LG-PC-0001", new DeviceCertificates(DeviceCertificates.IdSource.SAN_URI, "")
                .identify(device.certificate()).deviceId());
        assertEquals(null, new DeviceCertificates(DeviceCertificates.IdSource.SAN_URI, "urn:other:")
                .identify(device.certificate()).deviceId(), "a URI without the prefix names no device");
        assertEquals("LG-PC-0001", new DeviceCertificates(DeviceCertificates.IdSource.SUBJECT_CN, "")
                .identify(device.certificate()).deviceId());
        assertEquals(DeviceCa.thumbprint(device.certificate()), new DeviceCertificates(
                DeviceCertificates.IdSource.SHA256, "").identify(device.certificate()).deviceId());
    }
}
