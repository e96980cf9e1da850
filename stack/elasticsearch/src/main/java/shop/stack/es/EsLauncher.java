package shop.stack.es;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

import java.util.concurrent.CountDownLatch;

/**
 * Starts one Elasticsearch node for the local stack.
 *
 * <p>The cluster runner's own main derives the HTTP port from a base port plus the
 * node number and silently moves to the next free port, and it cannot bind to
 * 127.0.0.1 or enable single-node discovery. The stack must own exactly the
 * configured address (so readiness checks and port-conflict messages are honest),
 * hence this launcher that passes explicit node settings.
 *
 * <p>Settings come from system properties set by stack/src/services/elasticsearch.ts.
 */
public final class EsLauncher {
  private EsLauncher() {}

  public static void main(String[] args) throws Exception {
    final String home = required("stack.es.home");
    final String data = required("stack.es.data");
    final String logs = required("stack.es.logs");
    final String host = System.getProperty("stack.es.host", "127.0.0.1");
    final String httpPort = System.getProperty("stack.es.port", "9200");
    final String transportPort = System.getProperty("stack.es.transportPort", "9300");
    final String cluster = System.getProperty("stack.es.cluster", "shop");

    final ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
    runner.onBuild((index, settings) -> {
      settings.put("network.host", host);
      settings.put("http.port", httpPort);
      settings.put("transport.port", transportPort);
      settings.put("discovery.type", "single-node");
      settings.put("path.data", data);
      settings.put("path.logs", logs);
      settings.put("node.name", "shop-1");
      // A dev disk is often nearly full; the default watermarks would make every
      // index read-only and the tests fail for a reason unrelated to the code.
      settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
      settings.put("action.auto_create_index", "true");
    });

    final CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM from `npm run stack -- down` runs this: close the node so Lucene
    // flushes and releases its locks, then let main return.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        runner.close();
      } catch (Exception e) {
        System.err.println("close failed: " + e);
      }
      stopped.countDown();
    }));

    runner.build(ElasticsearchClusterRunner.newConfigs()
        .basePath(home)
        .numOfNode(1)
        .clusterName(cluster)
        .useLogger());
    System.out.println("stack: elasticsearch started on " + host + ":" + httpPort);
    stopped.await();
  }

  private static String required(String key) {
    final String value = System.getProperty(key);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing -D" + key);
    }
    return value;
  }
}
