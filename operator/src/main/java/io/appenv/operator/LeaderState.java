package io.appenv.operator;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this replica leads; without leader election every replica does. Only the leader acts on
 * webhooks.
 */
public class LeaderState {
  private final AtomicBoolean leading;

  public LeaderState(boolean leading) {
    this.leading = new AtomicBoolean(leading);
  }

  public boolean isLeader() {
    return leading.get();
  }

  void set(boolean leading) {
    this.leading.set(leading);
  }
}
