package dev.outpost.translator.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import org.junit.jupiter.api.Test;

class ProtoMergeTest {

  @Test
  void aDurationIsReplacedNotAddedFieldByField() {
    Cluster cluster =
        Cluster.newBuilder()
            .setName("c")
            .setConnectTimeout(Duration.newBuilder().setSeconds(1).setNanos(500_000_000))
            .build();
    Cluster patch =
        Cluster.newBuilder().setConnectTimeout(Duration.newBuilder().setSeconds(2)).build();

    Cluster merged = ProtoMerge.merge(cluster, patch);

    assertEquals(Duration.newBuilder().setSeconds(2).build(), merged.getConnectTimeout());
    assertEquals("c", merged.getName());
  }

  @Test
  void aWrapperCanBeSetBackToZero() {
    Cluster cluster =
        Cluster.newBuilder().setPerConnectionBufferLimitBytes(UInt32Value.of(1024)).build();
    Cluster patch =
        Cluster.newBuilder().setPerConnectionBufferLimitBytes(UInt32Value.of(0)).build();

    assertEquals(0, ProtoMerge.merge(cluster, patch).getPerConnectionBufferLimitBytes().getValue());
    assertTrue(ProtoMerge.merge(cluster, patch).hasPerConnectionBufferLimitBytes());
  }

  @Test
  void messagesMergeListsAppendAndScalarsReplace() {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("a")
            .setHttpProtocolOptions(Http1ProtocolOptions.newBuilder().setAcceptHttp10(true))
            .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
            .build();
    HttpConnectionManager patch =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("b")
            .setHttpProtocolOptions(Http1ProtocolOptions.newBuilder().setDefaultHostForHttp10("x"))
            .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("CONNECT"))
            .build();

    HttpConnectionManager merged = ProtoMerge.merge(hcm, patch);

    assertEquals("b", merged.getStatPrefix());
    assertTrue(merged.getHttpProtocolOptions().getAcceptHttp10());
    assertEquals("x", merged.getHttpProtocolOptions().getDefaultHostForHttp10());
    assertEquals(2, merged.getUpgradeConfigsCount());
  }

  @Test
  void typedConfigsOfOneTypeMergeInsideTheAny() throws Exception {
    Any target = Any.pack(HttpConnectionManager.newBuilder().setStatPrefix("keep").build());
    Any patch =
        Any.pack(
            HttpConnectionManager.newBuilder()
                .setStreamIdleTimeout(Duration.newBuilder().setSeconds(30))
                .build());

    HttpConnectionManager merged =
        ProtoMerge.mergeTyped(target, patch, "f").unpack(HttpConnectionManager.class);

    assertEquals("keep", merged.getStatPrefix());
    assertEquals(30, merged.getStreamIdleTimeout().getSeconds());
  }

  @Test
  void typedConfigsOfDifferentTypesDoNotMerge() {
    PatchException e =
        assertThrows(
            PatchException.class,
            () ->
                ProtoMerge.mergeTyped(
                    Any.pack(HttpConnectionManager.getDefaultInstance()),
                    Any.pack(HTTPFault.getDefaultInstance()),
                    "patch.value.typed_config"));
    assertEquals("patch.value.typed_config", e.field());
    assertTrue(e.getMessage().contains("REPLACE"), e.getMessage());
  }
}
