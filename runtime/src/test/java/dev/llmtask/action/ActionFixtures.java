package dev.llmtask.action;

/** The rotation scenario's act step, as test data. */
final class ActionFixtures {
  static final String ACTION = "create_rotation_job";
  static final String KEY = "rotate_acct_10234_2026_11";
  /** Stands in for customer text inside a request: it must never show up in a message. */
  static final String CUSTOMER_NOTE = "customer says: our CI key leaked on pastebin";

  record CreateJob(String accountId, String policyLine, String note) {}

  record Job(String id, String accountId) {}

  static final CreateJob REQUEST = new CreateJob("acct_10234", "P-7", CUSTOMER_NOTE);
  static final Job JOB = new Job("job_acct_10234_001", "acct_10234");

  private ActionFixtures() {}
}
