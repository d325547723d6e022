package org.gongzhi.monitoring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * HJ 212 access passwords (PW). The logger sends PW in clear in every packet, so a slow hash (bcrypt) would cost
 * a millisecond per packet and protect nothing on the wire; we keep a salted SHA-256, so that a leaked table does
 * not reveal the passwords, and compare digests in constant time.
 */
final class DevicePasswords {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DevicePasswords() {
    }

    static byte[] newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }

    static byte[] hash(byte[] salt, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean matches(byte[] salt, byte[] expectedHash, String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedHash, hash(salt, given));
    }
}
