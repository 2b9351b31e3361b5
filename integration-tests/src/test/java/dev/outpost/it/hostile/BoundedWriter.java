package dev.outpost.it.hostile;

import java.io.Writer;

/** A writer that keeps the first {@code limit} characters and counts the rest. */
final class BoundedWriter extends Writer {
  private final StringBuilder text = new StringBuilder();
  private final int limit;
  private long dropped;

  BoundedWriter(int limit) {
    this.limit = limit;
  }

  @Override
  public synchronized void write(char[] chars, int off, int len) {
    int kept = Math.min(len, Math.max(0, limit - text.length()));
    text.append(chars, off, kept);
    dropped += len - kept;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  synchronized boolean truncated() {
    return dropped > 0;
  }

  @Override
  public synchronized String toString() {
    return text.toString();
  }
}
