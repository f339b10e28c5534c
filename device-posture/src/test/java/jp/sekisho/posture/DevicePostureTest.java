package jp.sekisho.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DevicePostureTest {

    @Test
    void requestWithoutEvidenceHasAnUnknownDevice() {
        DevicePosture posture = DevicePosture.unknown();
        assertFalse(posture.isKnown());
        assertEquals(Optional.empty(), posture.deviceId());
    }

    @Test
    void deviceIdentifiedByCertificateIsKnown() {
        DevicePosture posture = new DevicePosture(Optional.of("pc-0042"),
                DevicePosture.Evidence.DEVICE_CERTIFICATE, Optional.of(Instant.parse("2026-11-23T00:00:00Z")));
        assertTrue(posture.isKnown());
    }

    @Test
    void aDeviceIdCannotBeClaimedWithoutEvidence() {
        assertThrows(IllegalArgumentException.class, () -> new DevicePosture(Optional.of("pc-0042"),
                DevicePosture.Evidence.NONE, Optional.empty()));
    }
}
