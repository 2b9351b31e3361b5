package dev.outpost.k8s;

/**
 * Counters for the server's metrics endpoint, read at one instant.
 *
 * @param synced every informer has listed its resources at least once
 * @param rebuilds snapshots assembled since start
 * @param published snapshots handed to the consumer (a rebuild equal to the last one is not)
 * @param rebuildFailures rebuilds that threw; the last snapshot stayed in effect
 * @param apiServerReachable the last request to the API server got an answer
 * @param apiServerOutages times contact with the API server was lost
 * @param apiServerConnectionFailures failed connection attempts (each retry counts)
 */
public record WatcherStats(
    boolean synced,
    long rebuilds,
    long published,
    long rebuildFailures,
    boolean apiServerReachable,
    long apiServerOutages,
    long apiServerConnectionFailures) {}
