package dev.outpost.translator.diag;

/** How bad a diagnostic is. ERROR means the resource (or the part named) was rejected. */
public enum Severity {
  ERROR,
  WARNING
}
