/**
 * The SSH session a boot snapshot keeps, so that a guest started from the snapshot, or reset to it, needs no new
 * handshake.
 *
 * <p>Besides the forwarded TCP port, each guest has a virtio serial port ({@code testkit.ssh}) whose host end QEMU holds
 * outside the guest ({@link dev.livepatch.testkit.ssh.kept.SessionPort}), joined inside the guest to its SSH server.
 * Before {@code savevm}, the toolkit opens a session over that port with its client's random bytes drawn from a seed
 * ({@link dev.livepatch.testkit.ssh.HandshakeRandom}), starts a command loop in it
 * ({@link dev.livepatch.testkit.ssh.kept.CommandLoop}: one exec channel whose shell reads command after command), and
 * records both directions up to there ({@link dev.livepatch.testkit.ssh.kept.SessionTranscript}, stored beside the
 * snapshot, checksummed, with when each server byte was read). After {@code loadvm} the guest's end of that session
 * is back where it was; the client's end is made again from the transcript alone: the same seed gives the same bytes,
 * keys, sequence numbers and channel, the server's recorded answers are replayed and nothing reaches the guest
 * ({@link dev.livepatch.testkit.ssh.kept.KeptSessions}). Then the session goes on live. The replay checks every byte
 * the client would send against the recording: if the client ever makes another handshake, the guest falls back to a
 * TCP connection and the log says why.
 *
 * <p>Commands then run in the loop, each in a subshell of its own, framed by random markers, its input read to the
 * byte. One command at a time: while the loop is busy, or after a command overran its timeout (which closes the loop),
 * commands take an exec channel each. This package depends on {@code dev.livepatch.testkit.ssh}, never the reverse:
 * the plain shell reaches the loop only as a {@link dev.livepatch.testkit.ssh.CommandRunner}.
 */
package dev.livepatch.testkit.ssh.kept;
