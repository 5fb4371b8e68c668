package dev.llmtask.internal.pipeline;

/**
 * A user link threw or failed its stage with something other than a classified provider failure.
 * The message names the link's class and the exception's type only: an exception's own message may
 * hold customer text.
 */
final class LinkFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LinkFailure(String kind, Object link, Throwable cause) {
    super("the " + kind + " " + link.getClass().getName() + " failed with " + cause.getClass().getSimpleName(), cause);
  }
}
