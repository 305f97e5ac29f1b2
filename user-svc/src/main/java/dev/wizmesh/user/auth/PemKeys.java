package dev.wizmesh.user.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * RSA keys in PEM files, with the JDK only: a private key as PKCS#8 ({@code BEGIN PRIVATE KEY},
 * what {@code openssl genpkey -algorithm RSA} writes) and public keys as X.509
 * ({@code BEGIN PUBLIC KEY}).
 */
final class PemKeys {
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private PemKeys() {
    }

    static KeyPair readPrivate(Path file) {
        try {
            byte[] der = decode(Files.readString(file), PRIVATE, file);
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            return new KeyPair(publicKey, key);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("Cannot read an RSA private key (PKCS#8 PEM) from " + file + ": " + e.getMessage(), e);
        }
    }

    /** A public key from a file holding a public key, or a private key (its public half). */
    static RSAPublicKey readPublic(Path file) {
        try {
            String pem = Files.readString(file);
            if (pem.contains("BEGIN " + PRIVATE)) {
                return (RSAPublicKey) readPrivate(file).getPublic();
            }
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(decode(pem, PUBLIC, file)));
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("Cannot read an RSA public key (PEM) from " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Generates a 2048-bit pair into {@code file} unless another process got there first, and
     * returns the key the file holds: several instances starting at once end up sharing one key
     * (a hard link is created atomically or not at all), never each signing with its own.
     */
    static KeyPair generateIfAbsent(Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".jwt-key", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the directory's permissions have to do
                }
                Files.writeString(tmp, encode(pair.getPrivate().getEncoded(), PRIVATE), StandardOpenOption.TRUNCATE_EXISTING);
                Files.createLink(file, tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another instance wrote it first: use theirs
            } finally {
                Files.deleteIfExists(tmp);
            }
            return readPrivate(file);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write a new signing key to " + file + ": " + e.getMessage(), e);
        }
    }

    static String encode(byte[] der, String type) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] decode(String pem, String type, Path file) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException(file + " holds no '" + begin + "' block"
                    + (pem.contains("BEGIN RSA PRIVATE KEY") ? " (PKCS#1: convert with `openssl pkcs8 -topk8 -nocrypt`)" : ""));
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }
}
