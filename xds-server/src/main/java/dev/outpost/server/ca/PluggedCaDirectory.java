package dev.outpost.server.ca;

import java.nio.file.Path;
import java.time.Instant;

/** A CA the operator provides ({@code --ca-dir}), in Istio's cacerts layout. Never written. */
public final class PluggedCaDirectory implements CaStore {
  private final Path dir;

  public PluggedCaDirectory(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  @Override
  public SigningCa load(Instant now) throws CaException {
    return CacertsFiles.read(dir, now);
  }

  @Override
  public String location() {
    return dir.toString();
  }
}
