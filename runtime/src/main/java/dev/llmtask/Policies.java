package dev.llmtask;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Argument checks shared by the configuration builders; messages name the setting, never a value that could be secret. */
final class Policies {
  private Policies() {}

  static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }

  static int notNegative(int n, String what) {
    if (n < 0) {
      throw new IllegalArgumentException(what + " must be zero or more, was " + n);
    }
    return n;
  }

  static int atLeastOne(int n, String what) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, was " + n);
    }
    return n;
  }

  static String notBlank(String s, String what) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return s;
  }

  /** {@code provider/model}: a provider name of letters, digits, {@code _ . -}, a slash, then a model name without spaces. */
  static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*/[^\\s/][^\\s]*");

  /** The fallback statuses that may never trigger a fallback: another route cannot fix them. */
  static final Set<CallStatus> NEVER_FALLBACK = EnumSet.of(CallStatus.OK, CallStatus.AUTH_ERROR,
      CallStatus.BAD_REQUEST, CallStatus.CANCELLED, CallStatus.BUDGET_EXCEEDED);

  static String route(String route, String what) {
    if (route == null || !ROUTE.matcher(route).matches()) {
      throw new IllegalArgumentException(what + " must be written provider/model, e.g. \"anthropic/claude-3-5-haiku-latest\""
          + " (the provider's name as registered with LlmRuntime.builder().provider(name, …)), was "
          + (route == null ? "null" : "\"" + route + "\""));
    }
    return route;
  }

  static List<String> routes(String[] routes, String what) {
    Objects.requireNonNull(routes, what);
    List<String> out = new ArrayList<>(routes.length);
    for (String r : routes) {
      out.add(route(r, what));
    }
    return List.copyOf(out);
  }

  static Set<CallStatus> triggers(CallStatus[] statuses, String what) {
    Objects.requireNonNull(statuses, what);
    if (statuses.length == 0) {
      throw new IllegalArgumentException(what + " needs at least one status; to never fall back, declare no fallback routes");
    }
    Set<CallStatus> out = EnumSet.noneOf(CallStatus.class);
    for (CallStatus s : statuses) {
      Objects.requireNonNull(s, what);
      if (NEVER_FALLBACK.contains(s)) {
        throw new IllegalArgumentException(what + " cannot include " + s + ": another route cannot fix it"
            + " (never AUTH_ERROR or BAD_REQUEST; fix the credentials or the request)");
      }
      out.add(s);
    }
    return Set.copyOf(out);
  }
}
