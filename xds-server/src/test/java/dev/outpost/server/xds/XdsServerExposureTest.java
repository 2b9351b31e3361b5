package dev.outpost.server.xds;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class XdsServerExposureTest {
  @Test
  void loopbackIsQuiet() {
    assertTrue(XdsServer.exposureWarning(new InetSocketAddress("127.0.0.1", 18000)).isEmpty());
    assertTrue(XdsServer.exposureWarning(new InetSocketAddress("::1", 18000)).isEmpty());
  }

  @Test
  void anyOtherAddressWarnsThatIdentitiesAreTrustedAndSaysWhatToDo() {
    String warning = XdsServer.exposureWarning(new InetSocketAddress("0.0.0.0", 18000)).orElseThrow();
    assertTrue(warning.startsWith("ADS on 0.0.0.0:18000 is plaintext"), warning);
    assertTrue(warning.contains("NetworkPolicy"), warning);
    assertTrue(warning.contains("--bind 127.0.0.1"), warning);
  }
}
