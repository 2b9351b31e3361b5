package dev.outpost.it.hostile;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The hostile-input corpus of issue 16: every case, generated (nothing big is committed; huge
 * files are made at test time, sparse where they are gigabytes). Light cases first, then the
 * heavy ones ({@link HostileHeavyCorpusTest} runs those).
 */
final class HostileCorpus {
  private HostileCorpus() {}

  static ImmutableList<HostileCase> all() {
    List<HostileCase> cases = new ArrayList<>();
    cases.addAll(WrongTypeCases.fileCases());
    cases.addAll(WrongTypeCases.kubernetesCases());
    cases.addAll(OutOfRangeCases.cases());
    cases.addAll(YamlStructureCases.cases());
    cases.addAll(BadByteCases.cases());
    cases.addAll(RegexCases.cases());
    cases.addAll(EnvoyFilterTypeCases.cases());
    cases.addAll(FilesystemCases.cases());
    cases.addAll(KubernetesCases.cases());
    cases.addAll(SizeCases.cases());
    Set<String> names = new HashSet<>();
    for (HostileCase c : cases) {
      if (!names.add(c.name())) {
        throw new IllegalStateException("two cases are named " + c.name());
      }
    }
    return cases.stream().sorted(Comparator.comparing(HostileCase::heavy)).collect(ImmutableList.toImmutableList());
  }
}
