package dev.outpost.translator.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.AuthorizationPolicy;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.KubeEndpointSlice;
import dev.outpost.translator.model.KubePod;
import dev.outpost.translator.model.KubeSecret;
import dev.outpost.translator.model.KubeService;
import dev.outpost.translator.model.MeshConfig;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.Sidecar;
import dev.outpost.translator.model.VirtualService;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parses and validates a set of input files into one {@link ConfigSnapshot}. Pure: the caller did
 * the I/O. {@code previous} is the last snapshot this source produced ({@link ConfigSnapshot#EMPTY}
 * at first): a resource that is invalid now but was accepted before keeps its last good version.
 *
 * <p>Rules: files are read in name order; the first definition of a kind/namespace/name wins and
 * later ones are errors; a resource with any error is rejected (or keeps its last good version); a
 * file with a syntax error keeps the last good version of the resources it can no longer provide.
 * Output lists and diagnostics are sorted, so equal input gives equal output.
 *
 * <p>A file is incomplete, and keeps the last good version of every resource it no longer yields,
 * when it has a syntax error or a document that cannot even be identified as a resource (not a
 * mapping, no apiVersion, kind or metadata.name): both are what a half-written file looks like.
 */
public final class SnapshotAssembler {

  public ConfigSnapshot assemble(List<SourceFile> files, ConfigSnapshot previous) {
    return assemble(files, previous, Map.of());
  }

  /**
   * As {@link #assemble(List, ConfigSnapshot)}, with files that are in flux: {@code inFluxUntil}
   * maps a file name to the instant until which the resources it defined in {@code previous} are
   * kept although it no longer yields them (it turned empty, or vanished with its whole
   * directory, as happens while a file or directory is being rewritten). The caller, which has the
   * clock, decides which files are in flux and for how long; the instant only goes into the
   * warning.
   */
  public ConfigSnapshot assemble(
      List<SourceFile> files, ConfigSnapshot previous, Map<String, Instant> inFluxUntil) {
    return assemble(files, previous, inFluxUntil, Set.of());
  }

  /**
   * As {@link #assemble(List, ConfigSnapshot, Map)}, with the names of files that exist but could
   * not be read (not UTF-8, no permission, too large: the caller reports why). Like a file with a
   * syntax error, each keeps the last good versions of its resources until it can be read again.
   */
  public ConfigSnapshot assemble(
      List<SourceFile> files,
      ConfigSnapshot previous,
      Map<String, Instant> inFluxUntil,
      Set<String> unreadableFiles) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    Map<ResourceKey, ResourceReader.Parsed> firstDefinition = new HashMap<>();
    Map<String, String> incompleteFiles = new HashMap<>();
    unreadableFiles.forEach(f -> incompleteFiles.put(f, "is unreadable (see the error on the file)"));
    List<SourceFile> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(SourceFile::name));

    for (SourceFile file : sorted) {
      DocumentReader.Result content = DocumentReader.read(file.name(), file.text());
      diagnostics.addAll(content.diagnostics());
      if (!content.complete()) {
        incompleteFiles.put(file.name(), "has a syntax error");
      }
      List<ResourceReader.Parsed> parsed = new ArrayList<>();
      for (int i = 0; i < content.documents().size(); i++) {
        JsonNode node = content.documents().get(i);
        int parsedBefore = parsed.size();
        ResourceReader.read(
            new Document(file.name(), i + 1, Optional.empty(), node), parsed, diagnostics);
        if (parsed.size() == parsedBefore && !isNamedOrEmpty(node)) {
          incompleteFiles.putIfAbsent(
              file.name(), "has a document that is not a complete resource");
        }
      }
      for (ResourceReader.Parsed p : parsed) {
        ResourceReader.Parsed first = firstDefinition.putIfAbsent(p.key(), p);
        if (first != null) {
          diagnostics.add(
              Diagnostic.error(
                  p.key().subject(),
                  "",
                  "is defined twice: in "
                      + first.origin()
                      + " and in "
                      + p.origin()
                      + "; the first is used and the second is ignored. Rename or remove one of"
                      + " them"));
        }
      }
    }

    Map<ResourceKey, Record> previousByKey = index(previous);
    Map<ResourceKey, Record> accepted = new TreeMap<>();
    for (ResourceReader.Parsed p : firstDefinition.values()) {
      diagnostics.addAll(p.diagnostics());
      if (p.valid()) {
        accepted.put(p.key(), p.resource());
      } else if (previousByKey.containsKey(p.key())) {
        Record lastGood = previousByKey.get(p.key());
        accepted.put(p.key(), lastGood);
        diagnostics.add(
            Diagnostic.warning(
                p.key().subject(),
                "",
                "is invalid, so its last good version (from "
                    + ResourceKind.metadataOf(lastGood).origin()
                    + ") stays in effect until the errors are fixed"));
      }
    }
    keepResourcesOfUnreadableFiles(
        incompleteFiles, previousByKey, firstDefinition.keySet(), accepted, diagnostics);
    keepResourcesOfFilesInFlux(
        inFluxUntil, previousByKey, firstDefinition.keySet(), accepted, diagnostics);
    return snapshot(accepted, diagnostics);
  }

  /**
   * True for a file with nothing in it: no bytes, only whitespace, comments and document markers.
   * A file turns into this for a moment while a tool truncates it and writes it again.
   */
  public static boolean isBlank(String text) {
    for (String line : (Iterable<String>) text.lines()::iterator) {
      String content = stripComment(line.strip().replace("\uFEFF", ""));
      if (!content.isEmpty() && !content.equals("---") && !content.equals("...")) {
        return false;
      }
    }
    return true;
  }

  private static String stripComment(String line) {
    if (line.startsWith("#")) {
      return "";
    }
    if (line.startsWith("--- #") || line.startsWith("---\t#")) {
      return "---";
    }
    return line;
  }

  /**
   * A document that yielded no resource is either empty, a resource of a kind Outpost does not read
   * (it has a name: someone's Deployment), or part of a resource cut short (no name yet).
   */
  private static boolean isNamedOrEmpty(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return true;
    }
    if (!node.isObject()) {
      return false;
    }
    JsonNode kind = node.get("kind");
    if (kind != null && kind.isTextual() && kind.asText().equals("List")) {
      JsonNode items = node.get("items");
      return items != null && items.isArray();
    }
    JsonNode metadata = node.get("metadata");
    JsonNode name = metadata == null ? null : metadata.get("name");
    return name != null && name.isTextual() && !name.asText().isEmpty();
  }

  /**
   * A file with a syntax error may no longer yield resources it defined before; keeping their last
   * good versions makes a half-saved edit harmless instead of deleting routes.
   */
  private static void keepResourcesOfUnreadableFiles(
      Map<String, String> incompleteFiles,
      Map<ResourceKey, Record> previousByKey,
      Set<ResourceKey> parsedNow,
      Map<ResourceKey, Record> accepted,
      List<Diagnostic> diagnostics) {
    previousByKey.forEach(
        (key, resource) -> {
          String origin = ResourceKind.metadataOf(resource).origin();
          Optional<String> file = Document.fileOfOrigin(origin);
          if (file.filter(incompleteFiles::containsKey).isPresent() && !parsedNow.contains(key)) {
            accepted.put(key, resource);
            diagnostics.add(
                Diagnostic.warning(
                    key.subject(),
                    "",
                    "could not be read because "
                        + file.get()
                        + " "
                        + incompleteFiles.get(file.get())
                        + ", so its last good version stays in effect until the file is fixed"));
          }
        });
  }

  /**
   * A file that turned empty, or vanished with its whole directory, is most likely being written:
   * a save that truncates first, a pipeline writing into it, a directory being replaced. Deleting
   * its resources at once would also erase the last good version that a broken rewrite needs.
   */
  private static void keepResourcesOfFilesInFlux(
      Map<String, Instant> inFluxUntil,
      Map<ResourceKey, Record> previousByKey,
      Set<ResourceKey> parsedNow,
      Map<ResourceKey, Record> accepted,
      List<Diagnostic> diagnostics) {
    if (inFluxUntil.isEmpty()) {
      return;
    }
    previousByKey.forEach(
        (key, resource) -> {
          String origin = ResourceKind.metadataOf(resource).origin();
          Optional<String> file = Document.fileOfOrigin(origin).filter(inFluxUntil::containsKey);
          if (file.isPresent() && !parsedNow.contains(key) && !accepted.containsKey(key)) {
            accepted.put(key, resource);
            Instant until = inFluxUntil.get(file.get()).truncatedTo(ChronoUnit.SECONDS);
            diagnostics.add(
                Diagnostic.warning(
                    key.subject(),
                    "",
                    file.get()
                        + " no longer defines it (the file is empty or gone, as while it is being"
                        + " rewritten), so its last good version (from "
                        + origin
                        + ") stays in effect until "
                        + until
                        + "; if the file still does not define it then, it is deleted. Write"
                        + " files in one step (write a temporary file, then rename it) to avoid"
                        + " this"));
          }
        });
  }

  private static Map<ResourceKey, Record> index(ConfigSnapshot snapshot) {
    Map<ResourceKey, Record> out = new HashMap<>();
    List<Record> all = new ArrayList<>();
    all.addAll(snapshot.serviceEntries());
    all.addAll(snapshot.gateways());
    all.addAll(snapshot.virtualServices());
    all.addAll(snapshot.destinationRules());
    all.addAll(snapshot.secrets());
    all.addAll(snapshot.services());
    all.addAll(snapshot.endpointSlices());
    all.addAll(snapshot.pods());
    all.addAll(snapshot.sidecars());
    all.addAll(snapshot.meshConfigs());
    all.addAll(snapshot.authorizationPolicies());
    all.addAll(snapshot.envoyFilters());
    for (Record r : all) {
      out.put(ResourceKind.keyOf(r), r);
    }
    return out;
  }

  private static ConfigSnapshot snapshot(
      Map<ResourceKey, Record> accepted, List<Diagnostic> diagnostics) {
    // accepted is a TreeMap by (kind, namespace, name), so each list comes out sorted.
    ImmutableList.Builder<ServiceEntry> serviceEntries = ImmutableList.builder();
    ImmutableList.Builder<Gateway> gateways = ImmutableList.builder();
    ImmutableList.Builder<VirtualService> virtualServices = ImmutableList.builder();
    ImmutableList.Builder<DestinationRule> destinationRules = ImmutableList.builder();
    ImmutableList.Builder<KubeSecret> secrets = ImmutableList.builder();
    ImmutableList.Builder<KubeService> services = ImmutableList.builder();
    ImmutableList.Builder<KubeEndpointSlice> endpointSlices = ImmutableList.builder();
    ImmutableList.Builder<KubePod> pods = ImmutableList.builder();
    ImmutableList.Builder<Sidecar> sidecars = ImmutableList.builder();
    ImmutableList.Builder<MeshConfig> meshConfigs = ImmutableList.builder();
    ImmutableList.Builder<AuthorizationPolicy> authorizationPolicies = ImmutableList.builder();
    ImmutableList.Builder<EnvoyFilter> envoyFilters = ImmutableList.builder();
    for (Record r : accepted.values()) {
      if (r instanceof ServiceEntry se) {
        serviceEntries.add(se);
      } else if (r instanceof Gateway gw) {
        gateways.add(gw);
      } else if (r instanceof VirtualService vs) {
        virtualServices.add(vs);
      } else if (r instanceof DestinationRule dr) {
        destinationRules.add(dr);
      } else if (r instanceof KubeSecret s) {
        secrets.add(s);
      } else if (r instanceof KubeService s) {
        services.add(s);
      } else if (r instanceof KubeEndpointSlice s) {
        endpointSlices.add(s);
      } else if (r instanceof KubePod p) {
        pods.add(p);
      } else if (r instanceof Sidecar sc) {
        sidecars.add(sc);
      } else if (r instanceof MeshConfig m) {
        meshConfigs.add(m);
      } else if (r instanceof AuthorizationPolicy ap) {
        authorizationPolicies.add(ap);
      } else if (r instanceof EnvoyFilter ef) {
        envoyFilters.add(ef);
      } else {
        throw new IllegalStateException("no snapshot list for " + r.getClass());
      }
    }
    return new ConfigSnapshot(
        serviceEntries.build(),
        gateways.build(),
        virtualServices.build(),
        destinationRules.build(),
        secrets.build(),
        services.build(),
        endpointSlices.build(),
        pods.build(),
        sidecars.build(),
        meshConfigs.build(),
        authorizationPolicies.build(),
        envoyFilters.build(),
        ImmutableList.sortedCopyOf(Diagnostic.ORDER, diagnostics));
  }
}
