package dev.outpost.translator.build;

/**
 * A credential's content cannot be used. The message is a sentence for the user that names the
 * problem but never the key material.
 */
final class InvalidCredentialException extends Exception {
  InvalidCredentialException(String message) {
    super(message);
  }
}
