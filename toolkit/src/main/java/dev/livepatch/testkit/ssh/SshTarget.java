package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * How to reach a guest's SSH server.
 *
 * @param host the host address, always a loopback address for guests
 * @param port the forwarded host port
 * @param user the login user ({@code root} in guests)
 * @param privateKey the OpenSSH private key file for public-key authentication
 * @param hostKey the expected host public key ({@code ssh-ed25519 AAAA...}); any other key is refused
 */
@API(status = STABLE, since = "0.1")
public record SshTarget(String host, int port, String user, Path privateKey, String hostKey) {}
