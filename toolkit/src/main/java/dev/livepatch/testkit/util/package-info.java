/**
 * Small helpers that every layer of the toolkit shares: SHA-256 hashes and keys, deleting a file tree, quoting a word
 * for the shell. They use nothing else of the toolkit, so that any package may use them without a cycle.
 */
package dev.livepatch.testkit.util;
