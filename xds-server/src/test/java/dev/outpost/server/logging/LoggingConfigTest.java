package dev.outpost.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LoggingConfigTest {
  @Test
  void fabric8HttpBodiesAreNeverLoggedWhateverTheDefaultLevel() throws Exception {
    Properties properties = new Properties();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("simplelogger.properties")) {
      assertNotNull(in, "the server's simplelogger.properties");
      properties.load(in);
    }
    // Its TRACE output holds whole HTTP bodies: Secrets with their private keys.
    assertEquals("info", properties.getProperty("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.http.HttpLoggingInterceptor"));
  }
}
