using System;
using System.Security.Cryptography;

namespace Bank.Auth
{
    public class OtpService
    {
        private static readonly Random Rng = new Random();
        private readonly Random _jitter = new Random();

        public string GenerateOtp()
        {
            // ruleid: csharp.insecure-random-security-value
            return Rng.Next(0, 1000000).ToString("D6");
        }

        public void IssueReset(User user)
        {
            // ruleid: csharp.insecure-random-security-value
            var resetToken = new Random().Next().ToString("x8");
            // ruleid: csharp.insecure-random-security-value
            user.ActivationCode = Random.Shared.Next(100000, 999999).ToString();
            user.Notify(resetToken);
        }

        public string GenerateSecureOtp()
        {
            // ok: csharp.insecure-random-security-value
            return RandomNumberGenerator.GetInt32(0, 1000000).ToString("D6");
        }

        public int GetTokenCacheSeconds()
        {
            // ok: csharp.insecure-random-security-value
            return 300 + _jitter.Next(30);
        }

        public int RetryDelayMillis()
        {
            // ok: csharp.insecure-random-security-value
            return 100 + _jitter.Next(50);
        }

        public string NewSessionId()
        {
            // ok: csharp.insecure-random-security-value
            return Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        }
    }

    public class User
    {
        public string ActivationCode { get; set; }
        public void Notify(string token) {}
    }
}
