package jp.sekisho.posture.importer;

/**
 * Which Intune field names a device in the records, so that a record's id is what the device
 * later presents (the {@code sub} of its posture token or the id in its certificate).
 */
public enum DeviceIdSource {
    /** The Entra ID (Azure AD) device id; Defender knows it too, so the exports join exactly. */
    AZURE_AD_DEVICE_ID("azureADDeviceId"),
    /** Intune's own managed device id, e.g. the {@code {{DeviceId}}} of an Intune SCEP certificate. */
    INTUNE_ID("id"),
    /** The device name; names are not unique by nature, so prefer an id when you can. */
    DEVICE_NAME("deviceName"),
    /** The hardware serial number. */
    SERIAL_NUMBER("serialNumber");

    private final String intuneField;

    DeviceIdSource(String intuneField) {
        this.intuneField = intuneField;
    }

    /** The field of an Intune managed device that holds the id. */
    public String intuneField() {
        return intuneField;
    }

    /** True when a Defender machine carries this id itself; otherwise Defender joins through Intune. */
    public boolean knownToDefender() {
        return this == AZURE_AD_DEVICE_ID || this == DEVICE_NAME;
    }
}
