package dev.outpost.it.hostile;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what the code under test prints to System.out and System.err (its log lines among
 * them: slf4j-simple looks up System.err on every line), so a case can check that no stack trace
 * was printed. Keeps at most {@link #LIMIT} bytes: a case that floods the console must not exhaust
 * the heap of the corpus' JVM.
 */
final class ConsoleCapture implements AutoCloseable {
  static final int LIMIT = 4 << 20;

  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final BoundedBuffer buffer = new BoundedBuffer();

  ConsoleCapture() {
    PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
  }

  String text() {
    synchronized (buffer) {
      return buffer.toString(StandardCharsets.UTF_8) + (buffer.dropped > 0 ? "\n[" + buffer.dropped + " more bytes]" : "");
    }
  }

  @Override
  public void close() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private static final class BoundedBuffer extends ByteArrayOutputStream {
    long dropped;

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = Math.max(0, LIMIT - count);
      super.write(b, off, Math.min(room, len));
      dropped += len - Math.min(room, len);
    }
  }
}
