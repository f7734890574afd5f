package com.example.crypto;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;

public class CardNumberVault {
    public Cipher defaultMode() throws Exception {
        // ruleid: java.cipher-ecb-mode
        return Cipher.getInstance("AES");
    }

    public Cipher explicitEcb() throws Exception {
        // ruleid: java.cipher-ecb-mode
        return Cipher.getInstance("AES/ECB/PKCS5Padding");
    }

    public Cipher withProvider() throws Exception {
        // ruleid: java.cipher-ecb-mode
        return Cipher.getInstance("AES_256/ECB/NoPadding", "SunJCE");
    }

    public Cipher gcm() throws Exception {
        // ok: java.cipher-ecb-mode
        return Cipher.getInstance("AES/GCM/NoPadding");
    }

    public Cipher rsaOaep() throws Exception {
        // ok: java.cipher-ecb-mode
        return Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
    }

    public Cipher keyWrap() throws Exception {
        // ok: java.cipher-ecb-mode
        return Cipher.getInstance("AESWrap");
    }
}
