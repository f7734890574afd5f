using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Bank.Integration
{
    public class Clients
    {
        public void Global()
        {
            // ruleid: csharp.tls-validation-disabled
            ServicePointManager.ServerCertificateValidationCallback = (sender, cert, chain, errors) => true;
        }

        public HttpClient Partner()
        {
            var handler = new HttpClientHandler();
            // ruleid: csharp.tls-validation-disabled
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
            return new HttpClient(handler);
        }

        public HttpClient Legacy()
        {
            var handler = new HttpClientHandler
            {
                // ruleid: csharp.tls-validation-disabled
                ServerCertificateCustomValidationCallback = delegate { return true; },
            };
            return new HttpClient(handler);
        }

        public HttpClient Pinned(string thumbprint)
        {
            var handler = new HttpClientHandler();
            // ok: csharp.tls-validation-disabled
            handler.ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) =>
                errors == SslPolicyErrors.None && cert.Thumbprint == thumbprint;
            return new HttpClient(handler);
        }

        public void Strict()
        {
            // ok: csharp.tls-validation-disabled
            ServicePointManager.ServerCertificateValidationCallback = (s, c, ch, e) => e == SslPolicyErrors.None;
        }

        public HttpClient Default()
        {
            // ok: csharp.tls-validation-disabled
            return new HttpClient(new HttpClientHandler { CheckCertificateRevocationList = true });
        }
    }
}
