package com.example.crypto

import java.security.MessageDigest
import org.apache.commons.codec.digest.DigestUtils

object Digests {
    fun legacyChecksum(data: ByteArray): ByteArray {
        // ruleid: kotlin.weak-hash
        val md = MessageDigest.getInstance("MD5")
        return md.digest(data)
    }

    // ruleid: kotlin.weak-hash
    fun sha1(data: ByteArray): ByteArray = MessageDigest.getInstance("SHA-1").digest(data)

    // ruleid: kotlin.weak-hash
    fun passwordHash(password: String): String = DigestUtils.md5Hex(password)

    // ok: kotlin.weak-hash
    fun sha256(data: ByteArray): ByteArray = MessageDigest.getInstance("SHA-256").digest(data)

    // ok: kotlin.weak-hash
    fun sha512Hex(value: String): String = DigestUtils.sha512Hex(value)

    // ok: kotlin.weak-hash
    fun sha3(data: ByteArray): ByteArray = MessageDigest.getInstance("SHA3-256").digest(data)
}
