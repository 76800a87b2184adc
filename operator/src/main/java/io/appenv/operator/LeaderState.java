package io.appenv.operator;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this replica leads; without leader election every replica does. Only the leader acts on
 * webhooks.
 */
public class LeaderState {
  private final AtomicBoolean leading;
  private final AtomicBoolean stopping = new AtomicBoolean();

  public LeaderState(boolean leading) {
    this.leading = new AtomicBoolean(leading);
  }

  public boolean isLeader() {
    return leading.get();
  }

  void set(boolean leading) {
    this.leading.set(leading);
  }

  /** The operator is shutting down: leadership that ends now was given up, not lost. */
  void stopping() {
    stopping.set(true);
  }

  boolean isStopping() {
    return stopping.get();
  }
}
