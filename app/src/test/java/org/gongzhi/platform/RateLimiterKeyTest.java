package org.gongzhi.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Client addresses as rate-limit keys: IPv6 by /64, since one subscriber line gets a whole /64. */
class RateLimiterKeyTest {

    @Test
    void ipv6AddressesOfOneNetworkShareABucketAndIpv4AddressesDoNot() {
        assertThat(RateLimiter.clientKey("2408:8207:1850:f0a1:1c2b:3d4e:5f60:7181"))
                .isEqualTo(RateLimiter.clientKey("2408:8207:1850:f0a1::9"))
                .isEqualTo("2408:8207:1850:f0a1::/64");
        assertThat(RateLimiter.clientKey("2408:8207:1850:f0a2::9")).isNotEqualTo(RateLimiter.clientKey("2408:8207:1850:f0a1::9"));
        assertThat(RateLimiter.clientKey("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(RateLimiter.clientKey("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0::/64");
        assertThat(RateLimiter.clientKey("not:an:address")).isEqualTo("not:an:address");
    }

    @Test
    void aClientOverItsBurstWaitsForTheRefillWhileAnotherGoesOn() {
        long[] now = {0};
        RateLimiter limit = new RateLimiter(2, 60, () -> now[0]);
        assertThat(limit.acquire("a")).isZero();
        assertThat(limit.acquire("a")).isZero();
        assertThat(limit.acquire("a")).isEqualTo(1);
        assertThat(limit.acquire("b")).isZero();
        now[0] += 1_000_000_000L;
        assertThat(limit.acquire("a")).isZero();
    }
}
