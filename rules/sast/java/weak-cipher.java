package com.example.crypto;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.DESKeySpec;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public class PinBlockCipher {
    public byte[] legacyEncrypt(byte[] key, byte[] data) throws Exception {
        // ruleid: java.weak-cipher
        Cipher c = Cipher.getInstance("DESede/CBC/PKCS5Padding");
        // ruleid: java.weak-cipher
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DESede"));
        return c.doFinal(data);
    }

    public byte[] streamEncrypt(SecretKey key, byte[] data) throws Exception {
        // ruleid: java.weak-cipher
        Cipher rc4 = Cipher.getInstance("RC4");
        rc4.init(Cipher.ENCRYPT_MODE, key);
        return rc4.doFinal(data);
    }

    public SecretKey desKey(byte[] raw) throws Exception {
        // ruleid: java.weak-cipher
        DESKeySpec spec = new DESKeySpec(raw);
        return null;
    }

    public byte[] modernEncrypt(byte[] key, byte[] iv, byte[] data) throws Exception {
        // ok: java.weak-cipher
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        // ok: java.weak-cipher
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        return c.doFinal(data);
    }

    public SecretKey newKey() throws Exception {
        // ok: java.weak-cipher
        KeyGenerator kg = KeyGenerator.getInstance("AES");
        kg.init(256);
        return kg.generateKey();
    }
}
