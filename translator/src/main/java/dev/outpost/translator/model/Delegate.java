package dev.outpost.translator.model;

import java.util.Optional;

/** {@code http[].delegate}: hands the route to another VirtualService (not supported yet). */
public record Delegate(String name, Optional<String> namespace) {}
