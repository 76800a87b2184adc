package io.appenv.operator;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Waiting for a cluster to converge means reading objects that are not there yet: an exception
 * while polling is "not yet", not a failure. Registered for every test class
 * (junit-platform.properties).
 */
public class AwaitilityDefaults implements BeforeAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    Awaitility.ignoreExceptionsByDefault();
  }
}
