using System;
using System.IdentityModel.Tokens.Jwt;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Bank.Auth
{
    public static class AuthSetup
    {
        public static void Configure(IServiceCollection services, byte[] key)
        {
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
            {
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuer = "https://idp.bank.example",
                    // ruleid: csharp.jwt-validation-disabled
                    ValidateLifetime = false,
                    IssuerSigningKey = new SymmetricSecurityKey(key),
                };
            });
        }

        public static TokenValidationParameters Unsigned()
        {
            var p = new TokenValidationParameters();
            // ruleid: csharp.jwt-validation-disabled
            p.RequireSignedTokens = false;
            // ruleid: csharp.jwt-validation-disabled
            p.SignatureValidator = (token, parameters) => new JwtSecurityToken(token);
            return p;
        }

        public static TokenValidationParameters Strict(byte[] key)
        {
            return new TokenValidationParameters
            {
                // ok: csharp.jwt-validation-disabled
                ValidateLifetime = true,
                // ok: csharp.jwt-validation-disabled
                ValidateIssuerSigningKey = true,
                IssuerSigningKey = new SymmetricSecurityKey(key),
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        }

        public static void Audience(TokenValidationParameters p)
        {
            // ok: csharp.jwt-validation-disabled
            p.RequireSignedTokens = true;
        }
    }
}
