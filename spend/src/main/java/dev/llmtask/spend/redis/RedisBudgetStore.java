package dev.llmtask.spend.redis;

import dev.llmtask.budget.BudgetReservation;
import dev.llmtask.budget.BudgetStore;
import dev.llmtask.budget.Spend;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@link BudgetStore} in Redis, so every instance that uses the same Redis and key prefix keeps one
 * budget. Each reservation and settlement is one Lua script, atomic on the server: two instances racing
 * for the last of a limit cannot both get it. A calendar window is a hash of its USD and token totals
 * that expires an hour after its period; a rolling window adds a sorted set of its reservations by time
 * and a hash of their amounts, and each script first drops those older than the window.
 *
 * <pre>{@code
 * RedisBudgetStore store = RedisBudgetStore.create("redis://127.0.0.1:6379", "billing:");
 * BudgetPolicy budgets = BudgetPolicy.builder().store(store)
 *     .budget(Budget.global(BudgetPeriod.DAY).maxUsd(new BigDecimal("50"))).build();
 * }</pre>
 *
 * Budget alerts are marked in Redis too ({@code SET NX}), so each threshold alerts once per window for
 * the whole fleet. A Redis failure fails the attempt (the budget cannot be checked, so it is not passed silently).
 * Calls block on Redis for the script's round trip. Close the store when the runtime is done.
 */
public final class RedisBudgetStore implements BudgetStore, AutoCloseable {
  /** Drops a rolling window's reservations older than it; KEYS[1] totals, [2] times, [3] amounts; ARGV[1] now, [2] window ms. */
  private static final String PRUNE = ""
      + "local function prune(k, z, e, now, win)\n"
      + "  if win <= 0 then return end\n"
      + "  for _, id in ipairs(redis.call('ZRANGEBYSCORE', z, '-inf', now - win)) do\n"
      + "    local a = redis.call('HGET', e, id)\n"
      + "    if a then\n"
      + "      local sp = string.find(a, ' ')\n"
      + "      local u, t = string.sub(a, 1, sp - 1), string.sub(a, sp + 1)\n"
      + "      if u ~= '0' then redis.call('HINCRBY', k, 'u', '-' .. u) end\n"
      + "      if t ~= '0' then redis.call('HINCRBY', k, 't', '-' .. t) end\n"
      + "      redis.call('HDEL', e, id)\n"
      + "    end\n"
      + "    redis.call('ZREM', z, id)\n"
      + "  end\n"
      + "end\n";

  /** ARGV: now, window ms, id, usd, tokens, usd limit, token limit, expire-at ms. Returns the totals, or none when refused. */
  private static final String RESERVE = PRUNE
      + "local k, z, e = KEYS[1], KEYS[2], KEYS[3]\n"
      + "local now, win = tonumber(ARGV[1]), tonumber(ARGV[2])\n"
      + "prune(k, z, e, now, win)\n"
      + "local u = tonumber(redis.call('HGET', k, 'u') or '0')\n"
      + "local t = tonumber(redis.call('HGET', k, 't') or '0')\n"
      + "if u + tonumber(ARGV[4]) > tonumber(ARGV[6]) or t + tonumber(ARGV[5]) > tonumber(ARGV[7]) then return {} end\n"
      + "redis.call('HINCRBY', k, 'u', ARGV[4])\n"
      + "redis.call('HINCRBY', k, 't', ARGV[5])\n"
      + "redis.call('PEXPIREAT', k, ARGV[8])\n"
      + "if win > 0 then\n"
      + "  redis.call('ZADD', z, now, ARGV[3])\n"
      + "  redis.call('HSET', e, ARGV[3], ARGV[4] .. ' ' .. ARGV[5])\n"
      + "  redis.call('PEXPIREAT', z, ARGV[8])\n"
      + "  redis.call('PEXPIREAT', e, ARGV[8])\n"
      + "end\n"
      + "return {redis.call('HGET', k, 'u'), redis.call('HGET', k, 't')}\n";

  /** ARGV: now, window ms, id, usd delta, token delta, actual usd, actual tokens. Returns the totals. */
  private static final String SETTLE = PRUNE
      + "local k, z, e = KEYS[1], KEYS[2], KEYS[3]\n"
      + "local now, win = tonumber(ARGV[1]), tonumber(ARGV[2])\n"
      + "prune(k, z, e, now, win)\n"
      + "local held = redis.call('EXISTS', k) == 1\n"
      + "if win > 0 then held = redis.call('HEXISTS', e, ARGV[3]) == 1 end\n"
      + "if held then\n"
      + "  redis.call('HINCRBY', k, 'u', ARGV[4])\n"
      + "  redis.call('HINCRBY', k, 't', ARGV[5])\n"
      + "  if win > 0 then redis.call('HSET', e, ARGV[3], ARGV[6] .. ' ' .. ARGV[7]) end\n"
      + "end\n"
      + "return {redis.call('HGET', k, 'u') or '0', redis.call('HGET', k, 't') or '0'}\n";

  /** How long a calendar window's totals outlive its period, so a settlement just after midnight finds them. */
  private static final Duration GRACE = Duration.ofHours(1);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final String prefix;
  private final String reserveSha;
  private final String settleSha;

  private RedisBudgetStore(RedisClient client, String prefix) {
    this.client = client;
    this.prefix = prefix;
    this.connection = client.connect();
    this.redis = connection.sync();
    this.reserveSha = redis.scriptLoad(RESERVE);
    this.settleSha = redis.scriptLoad(SETTLE);
  }

  /**
   * A store on the Redis at {@code uri} (e.g. {@code redis://127.0.0.1:6379}), its keys starting with
   * {@code keyPrefix}; connects now.
   *
   * @throws io.lettuce.core.RedisConnectionException when Redis cannot be reached
   */
  public static RedisBudgetStore create(String uri, String keyPrefix) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    RedisClient client = RedisClient.create(uri);
    try {
      return new RedisBudgetStore(client, keyPrefix);
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  @Override
  public BudgetReservation reserve(String key, Duration rolling, Instant now, Instant expiresAt, Spend amount, Spend limit) {
    String id = UUID.randomUUID().toString();
    List<String> totals = run(reserveSha, RESERVE, key, now, rolling, id, Long.toString(amount.nanoUsd()),
        Long.toString(amount.tokens()), Long.toString(limit.nanoUsd()), Long.toString(limit.tokens()),
        Long.toString(expiresAt.plus(GRACE).toEpochMilli()));
    return totals == null || totals.isEmpty() ? null : new BudgetReservation(key, id, now, amount, spend(totals));
  }

  @Override
  public Spend settle(BudgetReservation reservation, Spend actual, Duration rolling, Instant now) {
    Spend delta = actual.minus(reservation.amount());
    return spend(run(settleSha, SETTLE, reservation.key(), now, rolling, reservation.id(), Long.toString(delta.nanoUsd()),
        Long.toString(delta.tokens()), Long.toString(actual.nanoUsd()), Long.toString(actual.tokens())));
  }

  /** One {@code SET NX} per threshold and window: only the first instance to cross it sends the alert. */
  @Override
  public boolean markAlerted(String key, int threshold, Instant expiresAt) {
    String set = redis.set(prefix + key + ":alert:" + threshold, "1",
        io.lettuce.core.SetArgs.Builder.nx().pxAt(expiresAt.plus(GRACE).toEpochMilli()));
    return "OK".equals(set);
  }

  @Override
  public void clearAlert(String key, int threshold) {
    redis.del(prefix + key + ":alert:" + threshold);
  }

  private List<String> run(String sha, String script, String key, Instant now, Duration rolling, String... args) {
    String k = prefix + key;
    String[] keys = {k, k + ":z", k + ":e"};
    String[] argv = new String[args.length + 2];
    argv[0] = Long.toString(now.toEpochMilli());
    argv[1] = Long.toString(rolling == null ? 0 : rolling.toMillis());
    System.arraycopy(args, 0, argv, 2, args.length);
    try {
      return redis.evalsha(sha, ScriptOutputType.MULTI, keys, argv);
    } catch (io.lettuce.core.RedisNoScriptException e) { // Redis restarted and lost its scripts
      return redis.eval(script, ScriptOutputType.MULTI, keys, argv);
    }
  }

  private static Spend spend(List<String> totals) {
    return new Spend(Long.parseLong(totals.get(0)), Long.parseLong(totals.get(1)));
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
