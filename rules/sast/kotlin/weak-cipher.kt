package com.example.crypto

import javax.crypto.Cipher
import javax.crypto.KeyGenerator

class CardCrypto {
    // ruleid: kotlin.weak-cipher
    fun legacy(): Cipher = Cipher.getInstance("DESede/CBC/PKCS5Padding")

    // ruleid: kotlin.weak-cipher
    fun defaultMode(): Cipher = Cipher.getInstance("AES")

    fun ecb(): Cipher {
        // ruleid: kotlin.weak-cipher
        return Cipher.getInstance("AES/ECB/PKCS5Padding")
    }

    // ok: kotlin.weak-cipher
    fun gcm(): Cipher = Cipher.getInstance("AES/GCM/NoPadding")

    // ok: kotlin.weak-cipher
    fun rsa(): Cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding")

    fun key(): KeyGenerator {
        // ok: kotlin.weak-cipher
        val kg = KeyGenerator.getInstance("AES")
        kg.init(256)
        return kg
    }
}
