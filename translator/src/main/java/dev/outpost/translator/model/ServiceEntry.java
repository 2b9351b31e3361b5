package dev.outpost.translator.model;

/** Placeholder until the input model lands: only the metadata. */
public record ServiceEntry(ObjectMeta metadata) {}
