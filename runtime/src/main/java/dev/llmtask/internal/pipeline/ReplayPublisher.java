package dev.llmtask.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * A publisher that keeps every item, so each subscriber — early or late — gets the whole sequence
 * in order, honouring its demand, and then {@code onComplete} after the last item.
 */
final class ReplayPublisher<E> implements Flow.Publisher<E> {
  private final List<E> items = new ArrayList<>();
  private boolean complete;

  /** Appends an item (ignored once complete); {@code last} completes the sequence. */
  void publish(E item, boolean last) {
    List<Sub> snapshot;
    synchronized (this) {
      if (complete) {
        return;
      }
      items.add(item);
      complete = last;
      snapshot = new ArrayList<>(subscribers);
    }
    snapshot.forEach(Sub::drain);
  }

  private final List<Sub> subscribers = new ArrayList<>();

  @Override
  public void subscribe(Flow.Subscriber<? super E> subscriber) {
    Sub sub = new Sub(subscriber);
    synchronized (this) {
      subscribers.add(sub);
    }
    subscriber.onSubscribe(sub);
    sub.drain();
  }

  private final class Sub implements Flow.Subscription {
    private final Flow.Subscriber<? super E> subscriber;
    private long demand;
    private int next;
    private boolean cancelled;
    private boolean done;
    private int wip; // serialises delivery: only one thread drains, re-entrant requests just add work

    Sub(Flow.Subscriber<? super E> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancel();
        subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive (Flow rule 3.9)"));
        return;
      }
      synchronized (ReplayPublisher.this) {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      }
      drain();
    }

    @Override
    public void cancel() {
      synchronized (ReplayPublisher.this) {
        cancelled = true;
        subscribers.remove(this);
      }
    }

    void drain() {
      synchronized (ReplayPublisher.this) {
        if (wip++ > 0) {
          return;
        }
      }
      while (true) {
        E item = null;
        boolean finish = false;
        synchronized (ReplayPublisher.this) {
          if (cancelled || done) {
            wip = 0;
            return;
          }
          if (demand > 0 && next < items.size()) {
            item = items.get(next++);
            demand--;
          } else if (complete && next == items.size()) {
            done = true;
            finish = true;
          } else if (--wip == 0) {
            return;
          } else {
            wip = 1;
            continue;
          }
        }
        if (finish) {
          subscriber.onComplete();
          return;
        }
        subscriber.onNext(item);
      }
    }
  }
}
