package dev.outpost.translator.model;

/** Placeholder until the input model lands: only the metadata. */
public record Gateway(ObjectMeta metadata) {}
