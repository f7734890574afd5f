using System.Security.Cryptography;

namespace Bank.Crypto
{
    public class PinBlocks
    {
        public ICryptoTransform Legacy(byte[] key, byte[] iv)
        {
            // ruleid: csharp.weak-cipher
            using var tdes = TripleDES.Create();
            return tdes.CreateEncryptor(key, iv);
        }

        public ICryptoTransform Ecb(byte[] key)
        {
            var aes = Aes.Create();
            // ruleid: csharp.weak-cipher
            aes.Mode = CipherMode.ECB;
            aes.Key = key;
            return aes.CreateEncryptor();
        }

        public byte[] EcbOneShot(Aes aes, byte[] data)
        {
            // ruleid: csharp.weak-cipher
            return aes.EncryptEcb(data, PaddingMode.PKCS7);
        }

        public ICryptoTransform Cbc(byte[] key, byte[] iv)
        {
            var aes = Aes.Create();
            // ok: csharp.weak-cipher
            aes.Mode = CipherMode.CBC;
            return aes.CreateEncryptor(key, iv);
        }

        public void Gcm(byte[] key, byte[] nonce, byte[] plain, byte[] cipher, byte[] tag)
        {
            // ok: csharp.weak-cipher
            using var gcm = new AesGcm(key, 16);
            gcm.Encrypt(nonce, plain, cipher, tag);
        }

        public byte[] CbcOneShot(Aes aes, byte[] data, byte[] iv)
        {
            // ok: csharp.weak-cipher
            return aes.EncryptCbc(data, iv);
        }
    }
}
