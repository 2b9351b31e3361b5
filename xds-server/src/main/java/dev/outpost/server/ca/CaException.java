package dev.outpost.server.ca;

/**
 * The mesh CA cannot be loaded or created: a file is missing, unreadable or inconsistent. The
 * message names the file and says what to do; it never contains key material.
 */
public final class CaException extends Exception {
  public CaException(String message) {
    super(message);
  }

  public CaException(String message, Throwable cause) {
    super(message, cause);
  }
}
