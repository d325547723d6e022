package org.gongzhi.monitoring;

import java.time.Instant;
import java.util.List;

/** 数采仪: a registered data logger, the outfall it reports for, and what it is expected to send. */
record DataLogger(long id, String mn, long outfallId, List<String> expectedFactors, int intervalSeconds,
                  boolean lenientCrc, Instant registeredAt, String registeredBy, Instant lastSeenAt,
                  String lastRemoteAddress, boolean enabled, byte[] passwordSalt, byte[] passwordHash) {

    boolean passwordMatches(String pw) {
        return DevicePasswords.matches(passwordSalt, passwordHash, pw);
    }

    DataLogger seen(Instant at, String remote) {
        return new DataLogger(id, mn, outfallId, expectedFactors, intervalSeconds, lenientCrc, registeredAt,
                registeredBy, at, remote, enabled, passwordSalt, passwordHash);
    }
}
