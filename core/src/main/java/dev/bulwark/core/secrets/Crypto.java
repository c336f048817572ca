package dev.bulwark.core.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Package-private primitives: HMAC-SHA256, SHA-256, HKDF-SHA256 (RFC 5869) and unpadded base64url.
 *
 * <p>Stateless and safe for concurrent use: a new {@link Mac} is obtained per call, so no instance is ever shared
 * between threads.
 */
final class Crypto {

    static final String HMAC_SHA256 = "HmacSHA256";

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Crypto() {}

    /** Returns HMAC-SHA256 of the data under the key; the key must not be empty. */
    static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is required of every Java SE implementation
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Returns SHA-256 of the concatenated parts. */
    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /**
     * Returns 32 bytes of HKDF-SHA256 (RFC 5869): {@code PRK = HMAC(salt, ikm)}, {@code OKM = HMAC(PRK, info || 0x01)}
     * (a single block, since {@code L = 32}).
     */
    static byte[] hkdfSha256(byte[] salt, byte[] ikm, byte[] info) {
        byte[] prk = hmacSha256(salt, ikm);
        byte[] block = new byte[info.length + 1];
        System.arraycopy(info, 0, block, 0, info.length);
        block[info.length] = 1;
        return hmacSha256(prk, block);
    }

    /** Encodes bytes as URL-safe base64 without padding (RFC 4648 section 5). */
    static String base64Url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    /**
     * Decodes unpadded URL-safe base64.
     *
     * @throws IllegalArgumentException if the text is not valid base64url
     */
    static byte[] fromBase64Url(String text) {
        return BASE64URL_DECODER.decode(text);
    }

    /** Returns whether every character is in the base64url alphabet {@code [A-Za-z0-9_-]}. */
    static boolean isBase64UrlAlphabet(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Returns the first {@code count} bytes as lower-case hex. */
    static String hex(byte[] bytes, int count) {
        char[] out = new char[count * 2];
        for (int i = 0; i < count; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Returns the ASCII bytes of a string known to be ASCII. */
    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
