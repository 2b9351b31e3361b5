package dev.outpost.server.ca;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-signed mesh root in a state directory ({@code --ca-state-dir}), in Istio's cacerts
 * layout so it can later be plugged into Istio or another Outpost as {@code --ca-dir}. Generated
 * once, when the directory holds no CA; read on every later start, so restarts and replicas that
 * share the directory share the root. The directory is {@code 0700} and the key {@code 0600}.
 *
 * <p>Creation holds a lock on {@code .lock} in the directory: two processes starting at once on a
 * shared directory create one root, not two.
 */
public final class SelfSignedCaDirectory implements CaStore {
  private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCaDirectory.class);
  private static final List<String> FILES =
      List.of(CacertsLayout.CA_CERT, CacertsLayout.CA_KEY, CacertsLayout.CERT_CHAIN, CacertsLayout.ROOT_CERT);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
  // FileLock is per process: threads of one JVM (tests, a CLI command next to the server) queue here.
  private static final Object JVM_LOCK = new Object();

  private final Path dir;
  private final String trustDomain;

  public SelfSignedCaDirectory(Path dir, String trustDomain) {
    this.dir = dir.toAbsolutePath().normalize();
    this.trustDomain = trustDomain;
  }

  @Override
  public SigningCa load(Instant now) throws CaException {
    synchronized (JVM_LOCK) {
      createDirectory();
      writableByOthersWarning().ifPresent(LOG::warn);
      try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        List<String> present = FILES.stream().filter(name -> Files.exists(dir.resolve(name))).toList();
        if (present.isEmpty()) {
          create(now);
        } else if (present.size() < FILES.size()) {
          throw new CaException(
              "mesh CA state directory " + dir + " is incomplete: it holds " + String.join(", ", present) + " but not "
                  + String.join(", ", FILES.stream().filter(f -> !present.contains(f)).toList())
                  + ". Restore the missing files, or delete the directory to generate a new root (every proxy"
                  + " then needs new certificates, and clients that trust the old root must get the new one)");
        } else {
          warnIfKeyIsReadableByOthers();
        }
      } catch (IOException e) {
        // A read-only directory (e.g. a mounted volume) that already holds the CA needs no lock.
        if (FILES.stream().allMatch(name -> Files.isReadable(dir.resolve(name)))) {
          LOG.debug("cannot lock {} ({}); reading the existing CA without the lock", dir, e.toString());
        } else {
          throw new CaException(
              "cannot lock the mesh CA state directory " + dir + " to create the CA (" + e.getMessage()
                  + "); make it writable, or plug in a CA with --ca-dir",
              e);
        }
      }
      return CacertsFiles.read(dir, now);
    }
  }

  @Override
  public String location() {
    return dir.toString();
  }

  private void createDirectory() throws CaException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir.getParent());
      if (posix()) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new CaException("--ca-state-dir " + dir + " exists but is not a directory");
      }
    } catch (IOException e) {
      throw new CaException(
          "cannot create the mesh CA state directory " + dir + " (" + e.getMessage()
              + "); choose a writable place with --ca-state-dir, or plug in a CA with --ca-dir",
          e);
    }
  }

  private void create(Instant now) throws CaException {
    SelfSignedRoot.Generated root = SelfSignedRoot.generate(trustDomain, now);
    String certificate = Pem.encode(List.of(root.certificate()));
    // The key first and ca-cert.pem last: an interrupted creation leaves an incomplete directory,
    // which is reported, never a certificate without its key.
    write(CacertsLayout.CA_KEY, Pem.encode(root.key()), true);
    write(CacertsLayout.ROOT_CERT, certificate, false);
    write(CacertsLayout.CERT_CHAIN, certificate, false);
    write(CacertsLayout.CA_CERT, certificate, false);
    LOG.info(
        "generated a self-signed mesh root CA in {} ({}, valid until {}); restarts and replicas that share this"
            + " directory reuse it",
        dir, root.certificate().getSubjectX500Principal().getName(), root.certificate().getNotAfter().toInstant());
  }

  private void write(String name, String content, boolean secret) throws CaException {
    try {
      AtomicFiles.write(dir.resolve(name), content, secret);
    } catch (IOException e) {
      throw new CaException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
    }
  }

  private void warnIfKeyIsReadableByOthers() {
    if (!posix()) {
      return;
    }
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir.resolve(CacertsLayout.CA_KEY));
      if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
        LOG.warn("{} is readable by other users ({}); anyone who reads it can impersonate every proxy of the mesh: chmod 600 it",
            dir.resolve(CacertsLayout.CA_KEY), PosixFilePermissions.toString(mode));
      }
    } catch (IOException e) {
      LOG.debug("cannot read the mode of the CA key: {}", e.toString());
    }
  }

  /**
   * Whoever may write the directory may swap the CA files (rename replaces even an owner-only
   * file) and so make Outpost issue mesh certificates under a CA they hold the key of: a warning
   * when it is another user's or writable by group or others.
   */
  java.util.Optional<String> writableByOthersWarning() {
    if (!posix()) {
      return java.util.Optional.empty();
    }
    try {
      // E.g. a --ca-state-dir under /tmp that someone else created first: its owner can swap the
      // files whatever their mode.
      String owner = Files.getOwner(dir).getName();
      java.util.Optional<String> me = ProcessHandle.current().info().user();
      if (me.isPresent() && !me.get().equals(owner)) {
        return java.util.Optional.of(
            "mesh CA state directory " + dir + " belongs to user " + owner + ", not to " + me.get() + " who runs"
                + " Outpost; its owner can replace the CA and impersonate every proxy of the mesh: use a directory"
                + " of your own");
      }
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
      if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
        return java.util.Optional.of(
            "mesh CA state directory " + dir + " is writable by other users (" + PosixFilePermissions.toString(mode)
                + "); whoever can write it can replace the CA and impersonate every proxy of the mesh: chmod 700 it");
      }
    } catch (IOException e) {
      LOG.debug("cannot read the mode of {}: {}", dir, e.toString());
    }
    return java.util.Optional.empty();
  }

  private boolean posix() {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
