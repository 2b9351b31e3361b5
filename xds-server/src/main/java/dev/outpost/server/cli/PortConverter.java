package dev.outpost.server.cli;

import picocli.CommandLine;

/** A TCP port, 0–65535, with a sentence instead of a stack trace for anything else. */
final class PortConverter implements CommandLine.ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    int port;
    try {
      port = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("\"" + value + "\" is not a port number (0-65535)");
    }
    if (port < 0 || port > 65535) {
      throw new CommandLine.TypeConversionException(port + " is not a port: use 0-65535 (0 picks a free port)");
    }
    return port;
  }
}
