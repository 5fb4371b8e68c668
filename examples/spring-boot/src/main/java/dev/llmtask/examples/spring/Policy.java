package dev.llmtask.examples.spring;

/** The policy the rotation decision is taken from. */
final class Policy {
  static final String TEXT = """
      P-7: Stale service-account keys must rotate within a 30-day window.
      P-9: User passwords expire after 90 days.""";

  private Policy() {}
}
