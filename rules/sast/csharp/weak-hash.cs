using System.Security.Cryptography;
using System.Text;

namespace Bank.Crypto
{
    public class Hashes
    {
        public byte[] Checksum(byte[] data)
        {
            // ruleid: csharp.weak-hash
            using var md5 = MD5.Create();
            return md5.ComputeHash(data);
        }

        public byte[] Fingerprint(byte[] data)
        {
            // ruleid: csharp.weak-hash
            return SHA1.HashData(data);
        }

        public byte[] PasswordKey(string password, byte[] salt)
        {
            // ruleid: csharp.weak-hash
            using var kdf = new Rfc2898DeriveBytes(password, salt, 1000);
            return kdf.GetBytes(32);
        }

        public byte[] Legacy(string value)
        {
            // ruleid: csharp.weak-hash
            using var sha = new SHA1CryptoServiceProvider();
            return sha.ComputeHash(Encoding.UTF8.GetBytes(value));
        }

        public byte[] Strong(byte[] data)
        {
            // ok: csharp.weak-hash
            return SHA256.HashData(data);
        }

        public byte[] StrongPasswordKey(string password, byte[] salt)
        {
            // ok: csharp.weak-hash
            return Rfc2898DeriveBytes.Pbkdf2(password, salt, 600000, HashAlgorithmName.SHA256, 32);
        }

        public byte[] StrongKdf(string password, byte[] salt)
        {
            // ok: csharp.weak-hash
            using var kdf = new Rfc2898DeriveBytes(password, salt, 600000, HashAlgorithmName.SHA256);
            return kdf.GetBytes(32);
        }
    }
}
