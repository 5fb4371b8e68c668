package dev.llmtask.action;

/** The contract on the in-memory store. */
class InMemoryActionStoreTest extends ActionStoreContract {
  @Override
  ActionStore newStore() {
    return new InMemoryActionStore();
  }
}
