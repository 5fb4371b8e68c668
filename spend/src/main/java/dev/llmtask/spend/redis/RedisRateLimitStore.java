package dev.llmtask.spend.redis;

import dev.llmtask.ratelimit.RateLimit;
import dev.llmtask.ratelimit.RateLimitGrant;
import dev.llmtask.ratelimit.RateLimitStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A {@link RateLimitStore} in Redis, so every instance that uses the same Redis and key prefix shares
 * one token bucket per route and one pause after a 429. A route is one hash (request level, token
 * level, last refill, paused-until); each operation is one Lua script, atomic on the server, so two
 * instances racing for the last permit cannot both take it. An idle route's hash expires a period
 * (or its pause) after its last use, and a route seen again starts full.
 *
 * <pre>{@code
 * RedisRateLimitStore store = RedisRateLimitStore.create("redis://127.0.0.1:6379", "limits:");
 * RateLimitPolicy limits = RateLimitPolicy.builder().store(store)
 *     .limit("openai", "gpt-4o-mini", RateLimit.perMinute(500, 200_000)).build();
 * }</pre>
 *
 * A Redis failure lets the attempt go without a permit (the provider's own limit still holds, and
 * its 429s are retried). The instances' clocks are the buckets' clock: keep them in sync (NTP). Close
 * the store when the runtime is done.
 */
public final class RedisRateLimitStore implements RateLimitStore, AutoCloseable {
  /**
   * KEYS[1] the route's hash; ARGV[1] now ms, [2] request limit (0: no limit), [3] token limit (-1: none),
   * [4] period ms. Loads the levels refilled to now; {@code save} writes them back with the expiry.
   */
  private static final String BUCKET = ""
      + "local k, now = KEYS[1], tonumber(ARGV[1])\n"
      + "local rl, tl, per = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])\n"
      + "local h = redis.call('HMGET', k, 'r', 't', 'ts', 'p')\n"
      + "local p = tonumber(h[4] or '0')\n"
      + "local r, t, ts = rl, tl, now\n"
      + "if h[3] then\n"
      + "  ts = tonumber(h[3])\n"
      + "  local el = math.max(0, now - ts)\n"
      + "  r = math.min(rl, tonumber(h[1]) + el * rl / per)\n"
      + "  if tl > 0 then t = math.min(tl, tonumber(h[2]) + el * tl / per) end\n"
      + "end\n"
      + "local function save()\n"
      + "  redis.call('HSET', k, 'r', tostring(r), 't', tostring(t), 'ts', tostring(math.max(now, ts)))\n"
      + "  redis.call('PEXPIRE', k, math.ceil(math.max(per, p - now) + 60000))\n"
      + "end\n";

  /** ARGV[5] tokens, [6] max wait ms. Returns {granted 1/0, wait ms}. */
  private static final String ACQUIRE = BUCKET
      + "local need, maxw = tonumber(ARGV[5]), tonumber(ARGV[6])\n"
      + "local wait = math.max(0, p - now)\n"
      + "if rl > 0 then\n"
      + "  if r < 1 then wait = math.max(wait, (1 - r) * per / rl) end\n"
      + "  if tl > 0 and t < need then wait = math.max(wait, (need - t) * per / tl) end\n"
      + "end\n"
      + "wait = math.ceil(wait)\n"
      + "if wait > maxw then return {'0', tostring(wait)} end\n"
      + "if rl > 0 then\n"
      + "  r = r - 1\n"
      + "  if tl > 0 then t = t - need end\n"
      + "  save()\n"
      + "end\n"
      + "return {'1', tostring(wait)}\n";

  /** ARGV[5] requests, [6] tokens given back (negative: taken). */
  private static final String GIVE_BACK = BUCKET
      + "if not h[3] then return {} end\n"
      + "r = math.min(rl, r + tonumber(ARGV[5]))\n"
      + "if tl > 0 then t = math.min(tl, t + tonumber(ARGV[6])) end\n"
      + "save()\n"
      + "return {}\n";

  /** ARGV[5] remaining requests, [6] remaining tokens (negative: unknown). */
  private static final String CORRECT = BUCKET
      + "local rr, rt = tonumber(ARGV[5]), tonumber(ARGV[6])\n"
      + "if rr >= 0 and rr < r then r = rr end\n"
      + "if tl > 0 and rt >= 0 and rt < t then t = rt end\n"
      + "save()\n"
      + "return {}\n";

  /** ARGV[1] now ms, [2] paused-until ms. */
  private static final String PAUSE = ""
      + "local k, now, u = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])\n"
      + "local p = tonumber(redis.call('HGET', k, 'p') or '0')\n"
      + "if u > p then\n"
      + "  redis.call('HSET', k, 'p', ARGV[2])\n"
      + "  if redis.call('PTTL', k) < u - now + 60000 then redis.call('PEXPIRE', k, u - now + 60000) end\n"
      + "end\n"
      + "return {}\n";

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final String prefix;
  private final String[] shas;
  private static final String[] SCRIPTS = {ACQUIRE, GIVE_BACK, CORRECT, PAUSE};

  private RedisRateLimitStore(RedisClient client, String prefix) {
    this.client = client;
    this.prefix = prefix;
    this.connection = client.connect();
    this.redis = connection.sync();
    this.shas = new String[SCRIPTS.length];
    for (int i = 0; i < SCRIPTS.length; i++) {
      shas[i] = redis.scriptLoad(SCRIPTS[i]);
    }
  }

  /**
   * A store on the Redis at {@code uri} (e.g. {@code redis://127.0.0.1:6379}), its keys starting with
   * {@code keyPrefix}; connects now.
   *
   * @throws io.lettuce.core.RedisConnectionException when Redis cannot be reached
   */
  public static RedisRateLimitStore create(String uri, String keyPrefix) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    RedisClient client = RedisClient.create(uri);
    try {
      return new RedisRateLimitStore(client, keyPrefix);
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  @Override
  public RateLimitGrant acquire(String route, RateLimit limit, long tokens, Instant now, Duration maxWait) {
    List<String> out = run(0, route, limit, now, Long.toString(tokens), Long.toString(maxWait.toMillis()));
    Duration wait = Duration.ofMillis(Long.parseLong(out.get(1)));
    return "1".equals(out.get(0)) && wait.isZero() ? RateLimitGrant.NOW : new RateLimitGrant("1".equals(out.get(0)), wait);
  }

  @Override
  public void giveBack(String route, RateLimit limit, long requests, long tokens, Instant now) {
    if (limit != null) {
      run(1, route, limit, now, Long.toString(requests), Long.toString(tokens));
    }
  }

  @Override
  public void correct(String route, RateLimit limit, long remainingRequests, long remainingTokens, Instant now) {
    if (limit != null) {
      run(2, route, limit, now, Long.toString(remainingRequests), Long.toString(remainingTokens));
    }
  }

  @Override
  public void pause(String route, Instant until) {
    eval(3, new String[] {prefix + route}, Long.toString(System.currentTimeMillis()), Long.toString(until.toEpochMilli()));
  }

  private List<String> run(int script, String route, RateLimit limit, Instant now, String a, String b) {
    String requests = limit == null ? "0" : Long.toString(limit.requests());
    String tokens = limit == null || !limit.limitsTokens() ? "-1" : Long.toString(limit.tokens());
    String period = limit == null ? "60000" : Long.toString(Math.max(1, limit.period().toMillis()));
    return eval(script, new String[] {prefix + route}, Long.toString(now.toEpochMilli()), requests, tokens, period, a, b);
  }

  private List<String> eval(int script, String[] keys, String... argv) {
    try {
      return redis.evalsha(shas[script], ScriptOutputType.MULTI, keys, argv);
    } catch (io.lettuce.core.RedisNoScriptException e) { // Redis restarted and lost its scripts
      return redis.eval(SCRIPTS[script], ScriptOutputType.MULTI, keys, argv);
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
