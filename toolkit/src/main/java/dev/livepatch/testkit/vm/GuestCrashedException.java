package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** The guest kernel panicked or oopsed; the message carries the crash line and the serial console's tail. */
@API(status = INTERNAL, since = "0.1")
public class GuestCrashedException extends GuestException {
    private final String crashLine;

    public GuestCrashedException(String guest, String crashLine, String serialTail, Throwable cause) {
        super(
                "Guest " + guest + " crashed: " + crashLine + "\n--- serial console (last lines) ---\n" + serialTail,
                cause);
        this.crashLine = crashLine;
    }

    public String crashLine() {
        return crashLine;
    }
}
