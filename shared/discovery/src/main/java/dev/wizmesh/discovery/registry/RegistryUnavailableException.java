package dev.wizmesh.discovery.registry;

/** No configured registry answered. */
public class RegistryUnavailableException extends RuntimeException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
