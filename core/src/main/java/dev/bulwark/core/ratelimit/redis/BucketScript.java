package dev.bulwark.core.ratelimit.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Lua script that refills and consumes every rate of one policy in one atomic step, and its SHA-1 for
 * {@code EVALSHA}.
 *
 * <p>Stateless. The arithmetic is bucket4j's {@code BucketState64BitsInteger} with greedy refill, in milliseconds
 * instead of nanoseconds: per rate an integer token count plus the rounding remainder of the last refill, so the token
 * counts are exactly those of the in-memory store at the same instants. Lua numbers are doubles, exact below 2<sup>53</sup>:
 * that holds while {@code tokens per period × period in ms} and {@code capacity × period in ms} stay below
 * 9 × 10<sup>15</sup> (for example 100 000 per day, or 2 million per hour); beyond, results may be off by one token at
 * an instant of refill, and {@link RedisBucketStore} warns once per policy.
 *
 * <pre>
 * KEYS[1]  the bucket's key
 * ARGV[1]  now in ms, or '' for the Redis server's clock (TIME)
 * ARGV[2]  cost        ARGV[3]  n, the number of rates
 * ARGV[3i+1], ARGV[3i+2], ARGV[3i+3]   rate i (1..n): capacity, tokens per period, period in ms
 * value    "n last size1 rem1 ... sizeN remN"   (a string, so SET ... PX sets value and TTL in one command)
 * TTL      ms until every rate is full again: a full bucket is the same as no bucket, so expiry loses nothing
 * reply    allowed: {1, size1..sizeN} after consuming; rejected: {0, wait ms, size1..sizeN}; nothing is written
 * </pre>
 */
final class BucketScript {

    static final String TEXT = """
            local now
            if ARGV[1] == '' then
              if redis.replicate_commands then redis.replicate_commands() end
              local t = redis.call('TIME')
              now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            else
              now = tonumber(ARGV[1])
            end
            local cost = tonumber(ARGV[2])
            local n = tonumber(ARGV[3])
            local cap, cnt, per, size, rem = {}, {}, {}, {}, {}
            for i = 1, n do
              cap[i] = tonumber(ARGV[3 * i + 1])
              cnt[i] = tonumber(ARGV[3 * i + 2])
              per[i] = tonumber(ARGV[3 * i + 3])
            end
            local last = now
            local f = {}
            local stored = redis.call('GET', KEYS[1])
            if stored then
              for v in string.gmatch(stored, '%S+') do f[#f + 1] = tonumber(v) end
            end
            if #f == 2 + 2 * n and f[1] == n then
              last = f[2]
              for i = 1, n do
                if f[1 + 2 * i] >= cap[i] then
                  size[i] = cap[i]
                  rem[i] = 0
                else
                  size[i] = f[1 + 2 * i]
                  rem[i] = math.min(f[2 + 2 * i], per[i] - 1)
                end
              end
            else
              for i = 1, n do
                size[i] = cap[i]
                rem[i] = 0
              end
            end
            if now > last then
              local elapsed = now - last
              for i = 1, n do
                if size[i] < cap[i] then
                  local d = elapsed
                  local s = size[i]
                  if d > per[i] then
                    s = s + math.floor(d / per[i]) * cnt[i]
                    d = d % per[i]
                  end
                  if s < cap[i] then
                    local divided = cnt[i] * d + rem[i]
                    local refill = math.floor(divided / per[i])
                    s = s + refill
                    if s < cap[i] then
                      size[i] = s
                      rem[i] = divided - refill * per[i]
                    else
                      size[i] = cap[i]
                      rem[i] = 0
                    end
                  else
                    size[i] = cap[i]
                    rem[i] = 0
                  end
                end
              end
              last = now
            end
            local available = size[1]
            for i = 2, n do
              if size[i] < available then available = size[i] end
            end
            if available >= cost then
              local ttl = 1
              local out = {tostring(n), string.format('%.0f', last)}
              local reply = {1}
              for i = 1, n do
                size[i] = size[i] - cost
                local full = math.ceil((per[i] * (cap[i] - size[i]) - rem[i]) / cnt[i])
                if full > ttl then ttl = full end
                out[#out + 1] = string.format('%.0f', size[i])
                out[#out + 1] = string.format('%.0f', rem[i])
                reply[i + 1] = size[i]
              end
              redis.call('SET', KEYS[1], table.concat(out, ' '), 'PX', ttl)
              return reply
            end
            local wait = 1
            local reply = {0, 0}
            for i = 1, n do
              if size[i] < cost then
                local w = math.ceil((per[i] * (cost - size[i]) - rem[i]) / cnt[i])
                if w > wait then wait = w end
              end
              reply[i + 2] = size[i]
            end
            reply[2] = wait
            return reply
            """;

    static final String SHA1 = sha1(TEXT);

    private BucketScript() {}

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }
}
